package dev.marketops.e2e;

import dev.marketops.proto.services.SupplierAck;
import dev.marketops.proto.services.SupplierGatewayGrpc;
import dev.marketops.proto.services.SupplierUpdate;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A supplier system's push stream, as the end-to-end tests and the supplier bench open it. */
public final class SupplierStreams {

    private SupplierStreams() {
    }

    /** Pushes the updates on one stream with the supplier's own token (a plain channel) and returns every ack. */
    public static List<SupplierAck> push(int port, String token, List<SupplierUpdate> updates, Duration timeout) {
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            Metadata h = new Metadata();
            h.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            List<SupplierAck> acks = Collections.synchronizedList(new ArrayList<>());
            Throwable[] error = new Throwable[1];
            CountDownLatch done = new CountDownLatch(1);
            StreamObserver<SupplierUpdate> out = SupplierGatewayGrpc.newStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h))
                    .pushUpdates(new StreamObserver<>() {
                        public void onNext(SupplierAck a) {
                            acks.add(a);
                        }

                        public void onError(Throwable t) {
                            error[0] = t;
                            done.countDown();
                        }

                        public void onCompleted() {
                            done.countDown();
                        }
                    });
            updates.forEach(out::onNext);
            out.onCompleted();
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || error[0] != null) {
                throw new AssertionError("the push stream failed", error[0]);
            }
            return new ArrayList<>(acks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            ch.shutdownNow();
        }
    }
}
