package dev.athanor.ops.monitoring;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line as config.yml writes them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return io.dropwizard.util.Duration.parse(value.strip()
                    .replaceAll("^(\\d+)m$", "$1 minutes")).toJavaDuration();
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a duration: use 500ms, 30s, 5m or 1h");
        }
    }
}
