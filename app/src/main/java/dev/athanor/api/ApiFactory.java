package dev.athanor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The {@code api} section: how fast one token may call the subscriber API. Each token has a bucket of
 * {@code burst} requests that refills at {@code requestsPerMinute}; an empty bucket answers 429 with Retry-After.
 */
public class ApiFactory {

    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int requestsPerMinute = 60;

    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int burst = 120;

    public int getRequestsPerMinute() {
        return requestsPerMinute;
    }

    public int getBurst() {
        return burst;
    }
}
