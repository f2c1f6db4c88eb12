package dev.marketops.supplier.sync;

/**
 * One update as it arrived: from a gRPC stream, a Kafka message or a pulled page. The record
 * is the supplier's JSON; messageId, externalId and version are what the channel carried
 * around it (empty / -1 when it carried nothing), echoed in the acknowledgement.
 */
public record Incoming(String messageId, String externalId, long version, String recordJson) {
}
