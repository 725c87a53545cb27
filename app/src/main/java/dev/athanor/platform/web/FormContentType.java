package dev.athanor.platform.web;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import org.glassfish.jersey.media.multipart.FormDataParam;

/**
 * Every resource method that reads form fields answers 415 to a body of another type (JSON, text, none at all)
 * before it runs: Jersey itself would fail such a request with an {@link IllegalStateException} (a 500) when it
 * reads the first field. Methods with {@link FormParam} take {@code application/x-www-form-urlencoded}, methods with
 * {@link FormDataParam} take {@code multipart/form-data}; new resources are covered without an annotation.
 */
final class FormContentType implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Method method = resource.getResourceMethod();
        if (has(method, FormDataParam.class)) {
            context.register(only(MediaType.MULTIPART_FORM_DATA_TYPE), Priorities.HEADER_DECORATOR);
        } else if (has(method, FormParam.class)) {
            context.register(only(MediaType.APPLICATION_FORM_URLENCODED_TYPE), Priorities.HEADER_DECORATOR);
        }
    }

    private static ContainerRequestFilter only(MediaType type) {
        return new Only(type);
    }

    /** Refuses any body but {@code type}. */
    private static final class Only implements ContainerRequestFilter {
        private final MediaType type;

        Only(MediaType type) {
            this.type = type;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            MediaType sent = request.getMediaType();
            if (sent == null || sent.isWildcardType() || sent.isWildcardSubtype() || !type.isCompatible(sent)) {
                throw new NotSupportedException("this form takes " + type);
            }
        }
    }

    private static boolean has(Method method, Class<? extends Annotation> annotation) {
        for (Annotation[] parameter : method.getParameterAnnotations()) {
            for (Annotation each : parameter) {
                if (annotation.isInstance(each)) {
                    return true;
                }
            }
        }
        return false;
    }
}
