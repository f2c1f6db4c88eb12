package dev.marketops.platform.security;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Every outgoing gRPC call carries this service's token and the end user it acts for. */
@GlobalInterceptor
@ApplicationScoped
public class ServiceAuthClientInterceptor implements ClientInterceptor {

    @Inject
    ServiceTokens tokens;

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                headers.put(ServiceAuthServerInterceptor.AUTHORIZATION, "Bearer " + tokens.token());
                Actor actor = ActorPropagation.current();
                if (actor != null) {
                    ActorPropagation.write(actor, headers);
                }
                super.start(listener, headers);
            }
        };
    }
}
