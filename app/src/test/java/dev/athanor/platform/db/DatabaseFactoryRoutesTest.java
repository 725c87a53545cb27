package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which address each connection of the site uses, and how a CA file changes the URL's sslmode. */
class DatabaseFactoryRoutesTest {

    private static final String SERVER = "postgresql://doadmin:pw@db.example.com:25060/defaultdb?sslmode=require";
    private static final String POOL = "postgresql://doadmin:pw@db.example.com:25061/athanor-pool?sslmode=require";

    @TempDir
    Path temp;

    @Test
    void withADirectUrlOnlyThePoolGoesThroughThePoolerWithoutServerPreparedStatements() throws Exception {
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(POOL);
        factory.setDirectUrl(SERVER);

        try (DatabaseServer direct = factory.start()) {
            assertThat(direct.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:25060/defaultdb?sslmode=require");
            assertThat(direct.user()).isEqualTo("doadmin");
        }
        assertThat(factory.pooler().orElseThrow().jdbcUrl()).isEqualTo(
                "jdbc:postgresql://db.example.com:25061/athanor-pool?sslmode=require&prepareThreshold=0");
        factory.setUrl(POOL + "&prepareThreshold=3");
        assertThat(factory.pooler().orElseThrow().jdbcUrl()).as("an explicit setting is the operator's")
                .endsWith("?sslmode=require&prepareThreshold=3");

        factory.setDirectUrl("");
        assertThat(factory.pooler()).isEmpty();
        factory.setUrl("embedded");
        factory.setDirectUrl(SERVER);
        assertThat(factory.isDirectUrlUsable()).as("no pooler in front of the embedded server").isFalse();
    }

    @Test
    void aCaFileRaisesEveryWeakerSslmodeToVerifyFullAndKeepsVerifyCa() throws Exception {
        Path ca = Files.writeString(temp.resolve("ca file.crt"), "-----BEGIN CERTIFICATE-----\n");
        CaFile file = CaFile.of(ca.toString()).orElseThrow();
        for (String query : new String[] {"", "?sslmode=prefer", "?sslmode=require"}) {
            String url = file.verifying(DatabaseUrl.parse("jdbc:postgresql://db:5432/athanor" + query)).jdbcUrl();
            assertThat(url).isEqualTo("jdbc:postgresql://db:5432/athanor?sslrootcert="
                    + ca.toString().replace(" ", "%20") + "&sslmode=verify-full");
        }
        assertThat(file.verifying(DatabaseUrl.parse("jdbc:postgresql://db:5432/athanor?sslmode=verify-ca")).jdbcUrl())
                .contains("sslmode=verify-ca").doesNotContain("verify-full");
        assertThat(CaFile.of(Files.writeString(temp.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n").toString())
                .orElseThrow().problem()).hasValueSatisfying(problem -> assertThat(problem)
                        .endsWith("is not a PEM certificate (-----BEGIN CERTIFICATE-----)"));
        assertThat(CaFile.of(" ")).isEmpty();
    }
}
