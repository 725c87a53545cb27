package dev.athanor.monitoring.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The nginx section of an older release's config file still loads: its retired body-size key is ignored. */
class NginxFactoryTest {

    @Test
    void theRetiredClientMaxBodySizeIsAcceptedAndIgnored() throws Exception {
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

        NginxFactory nginx = json.readValue("{\"serverNames\":[\"learn.example.com\"],"
                + "\"clientMaxBodySize\":\"256MiB\"}", NginxFactory.class);

        assertThat(nginx.getServerNames()).containsExactly("learn.example.com");
    }
}
