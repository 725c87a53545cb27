package dev.athanor.backup.storage;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 for an endpoint on plain http that sends bodies as it does over https: unsigned ({@code UNSIGNED-PAYLOAD}).
 * Over http the SDK otherwise signs every body in chunks: a second SHA-256 pass over the whole archive in the ops
 * process, and chunk framing the server has to take apart, for an integrity check the backup already has (the
 * archive's SHA-256 is in the manifest and is checked before a restore; age, when on, authenticates every chunk).
 * Method, path, query and headers are signed as always; the request is signed as if it went over https (the
 * signature covers the Host header, not the scheme), with the port that keeps the Host header what the client sends.
 */
final class UnsignedBodySigner implements HttpSigner<AwsCredentialsIdentity> {

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /** The SigV4 scheme with this signer in place of the SDK's. */
    static AuthScheme<AwsCredentialsIdentity> scheme() {
        UnsignedBodySigner signer = new UnsignedBodySigner();
        return new AuthScheme<>() {
            @Override
            public String schemeId() {
                return AwsV4AuthScheme.SCHEME_ID;
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public HttpSigner<AwsCredentialsIdentity> signer() {
                return signer;
            }
        };
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        SdkHttpRequest sent = request.request();
        if (!overHttp(sent)) {
            return signer.sign(request);
        }
        SignedRequest signed = signer.sign(request.copy(copy -> copy.request(asHttps(sent))));
        return signed.copy(copy -> copy.request(asSent(signed.request(), sent)));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        SdkHttpRequest sent = request.request();
        if (!overHttp(sent)) {
            return signer.signAsync(request);
        }
        return signer.signAsync(request.copy(copy -> copy.request(asHttps(sent))))
                .thenApply(signed -> signed.copy(copy -> copy.request(asSent(signed.request(), sent))));
    }

    /** Over http (on any port but 443, whose Host header could not be kept when signed as https). */
    private static boolean overHttp(SdkHttpRequest request) {
        return "http".equals(request.protocol()) && request.port() != 443;
    }

    private static SdkHttpRequest asHttps(SdkHttpRequest request) {
        // http's default port is written out over https ("host:80"); 443 keeps the Host header "host", as sent.
        return request.toBuilder().protocol("https").port(request.port() == 80 ? 443 : request.port()).build();
    }

    private static SdkHttpRequest asSent(SdkHttpRequest signed, SdkHttpRequest sent) {
        return signed.toBuilder().protocol(sent.protocol()).port(sent.port()).build();
    }
}
