package dev.athanor.testing;

import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.glassfish.jersey.media.multipart.FormDataParam;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Parameter;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * The routes of a running site as Jersey models its registered resources: every resource method, sub-resource
 * methods included, with the query parameters and form fields its Java method declares. Tests that must reach every
 * route take them from here, so a new route is covered without editing them.
 */
public final class SiteRoutes {

    private SiteRoutes() {
    }

    /** A route: an HTTP method on a path template ({@code /courses/{course}}) and what it reads. */
    public record Route(String method, String template, List<String> query, List<String> form, boolean multipart) {

        /** The template with each parameter replaced by {@code values} applied to its name. */
        public String path(Function<String, String> values) {
            StringBuilder path = new StringBuilder();
            int at = 0;
            while (at < template.length()) {
                if (template.charAt(at) != '{') {
                    path.append(template.charAt(at++));
                    continue;
                }
                // a parameter's regular expression may hold braces of its own: {id: [0-9]{1,5}}
                int depth = 0;
                int end = at;
                do {
                    depth += template.charAt(end) == '{' ? 1 : template.charAt(end) == '}' ? -1 : 0;
                    end++;
                } while (depth > 0);
                path.append(values.apply(template.substring(at + 1, end - 1).split(":")[0].strip()));
                at = end;
            }
            return path.toString();
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** The routes of the resources registered with {@code config}, by path then method. */
    public static List<Route> of(ResourceConfig config) {
        Set<Class<?>> classes = new LinkedHashSet<>(config.getClasses());
        config.getInstances().forEach(instance -> classes.add(instance.getClass()));
        List<Route> routes = new ArrayList<>();
        for (Class<?> type : classes) {
            if (type.isAnnotationPresent(Path.class) && Resource.isAcceptable(type)) {
                collect(Resource.from(type), "", routes);
            }
        }
        routes.sort(Comparator.comparing(Route::template).thenComparing(Route::method));
        return routes;
    }

    private static void collect(Resource resource, String parent, List<Route> routes) {
        String path = (parent + "/" + (resource.getPath() == null ? "" : resource.getPath())).replaceAll("/+", "/");
        String template = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (ResourceMethod method : resource.getResourceMethods()) {
            List<String> query = new ArrayList<>();
            List<String> form = new ArrayList<>();
            boolean multipart = false;
            for (Parameter parameter : method.getInvocable().getParameters()) {
                if (parameter.getSource() == Parameter.Source.QUERY) {
                    query.add(parameter.getSourceName());
                } else if (parameter.getSource() == Parameter.Source.FORM) {
                    form.add(parameter.getSourceName());
                } else if (parameter.getAnnotation(FormDataParam.class) != null) {
                    form.add(parameter.getAnnotation(FormDataParam.class).value());
                    multipart = true;
                }
            }
            routes.add(new Route(method.getHttpMethod(), template, query, form, multipart));
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes);
        }
    }
}
