package dev.athanor.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * The {@code operator} section: until accounts with an operator role exist, the operator pages ({@code /admin}) are
 * protected by one password from the environment ({@code ATHANOR_OPERATOR_PASSWORD}), asked for by the browser
 * (HTTP Basic, user {@code operator}; use them over https only). Without a password the pages do not exist.
 */
public class OperatorFactory {

    @JsonProperty
    private String password = "";

    public Optional<String> password() {
        return password == null || password.isBlank() ? Optional.empty() : Optional.of(password);
    }
}
