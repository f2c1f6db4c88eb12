package dev.marketops.supplier;

import dev.marketops.platform.testing.TestKeys;
import dev.marketops.proto.services.SupplierAck;
import dev.marketops.proto.services.SupplierGatewayGrpc;
import dev.marketops.proto.services.SupplierUpdate;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

/**
 * A supplier system as the tests play it: its own client-credentials token (role supplier,
 * claim supplier_code, as Keycloak's supplier-cinema / -hotel clients issue them) and a plain
 * gRPC channel of its own (no platform interceptor: it is not a platform service).
 */
final class SupplierClients {

    private SupplierClients() {
    }

    static String supplierToken(String supplierCode, long userId) {
        return sign(List.of("supplier"), supplierCode, userId);
    }

    static String sign(List<String> roles, String supplierCode, long userId) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(TestKeys.ISSUER);
            claims.setAudience("marketops");
            claims.setSubject("service-account-" + userId);
            claims.setClaim("uid", Long.toString(userId));
            if (supplierCode != null) {
                claims.setClaim("supplier_code", supplierCode);
            }
            claims.setStringListClaim("groups", roles);
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(60);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(TestKeys.pair().getPrivate());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setHeader("typ", "JWT");
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outcome of one PushUpdates stream: the acks in order, or the error that closed it. */
    record Pushed(List<SupplierAck> acks, Throwable error) {
        SupplierAck ack(int i) {
            if (error != null) {
                throw new AssertionError("the stream failed: " + error, error);
            }
            return acks.get(i);
        }
    }

    /** Streams the updates as the supplier with this token, then half-closes and collects every ack. */
    static Pushed push(int port, String token, List<SupplierUpdate> updates) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            // a supplier that tries to pass itself off as an operator in the actor metadata is not believed
            headers.put(Metadata.Key.of("x-actor-user", Metadata.ASCII_STRING_MARSHALLER), "7");
            headers.put(Metadata.Key.of("x-actor-type", Metadata.ASCII_STRING_MARSHALLER), "admin");
            headers.put(Metadata.Key.of("x-actor-roles", Metadata.ASCII_STRING_MARSHALLER), "admin");
            SupplierGatewayGrpc.SupplierGatewayStub stub = SupplierGatewayGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            List<SupplierAck> acks = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<Throwable> error = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            StreamObserver<SupplierUpdate> out = stub.pushUpdates(new StreamObserver<>() {
                @Override
                public void onNext(SupplierAck value) {
                    acks.add(value);
                }

                @Override
                public void onError(Throwable t) {
                    error.set(t);
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    done.countDown();
                }
            });
            updates.forEach(out::onNext);
            out.onCompleted();
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new AssertionError("the stream did not finish");
            }
            return new Pushed(new ArrayList<>(acks), error.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            channel.shutdownNow();
        }
    }

    static SupplierUpdate update(String messageId, String recordJson) {
        return SupplierUpdate.newBuilder().setMessageId(messageId).setRecordJson(recordJson).build();
    }
}
