package io.tributary.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;

class BearerTokenCheckTest {
    private final BearerTokenCheck check = new BearerTokenCheck("right-token".getBytes(StandardCharsets.UTF_8));

    private static CallHeaders authorization(String value) {
        CallHeaders headers = new FlightCallHeaders();
        if (value != null) {
            headers.insert("authorization", value);
        }
        return headers;
    }

    @Test
    void acceptsTheTokenWhateverTheSchemeCase() {
        assertEquals(
                "bearer",
                check.authenticate(authorization("Bearer right-token")).getPeerIdentity());
        assertEquals(
                "bearer",
                check.authenticate(authorization("bearer right-token")).getPeerIdentity());
    }

    @Test
    void refusesWithoutRepeatingWhatWasSent() {
        for (String wrong :
                new String[] {"Bearer wrong-token", "Bearer right-token ", "Basic right-token", "right-token", "Bearer "
                }) {
            FlightRuntimeException e =
                    assertThrows(FlightRuntimeException.class, () -> check.authenticate(authorization(wrong)));
            assertEquals(FlightStatusCode.UNAUTHENTICATED, e.status().code());
            assertEquals(
                    "Tributary Flight refused the bearer token in the 'authorization' header",
                    e.status().description());
        }
        FlightRuntimeException missing =
                assertThrows(FlightRuntimeException.class, () -> check.authenticate(authorization(null)));
        assertEquals(
                "Tributary Flight needs an 'authorization: Bearer <token>' header (the token of "
                        + "spark.tributary.flight.tokenFile)",
                missing.status().description());
    }

    @Test
    void sqlCommandsAreRefusedUnlessTheOperatorAllowedThem() {
        FlightConf conf =
                FlightConf.from(java.util.Map.of(FlightConf.ENABLED, "true", FlightConf.TOKEN, "t")::get, name -> null);
        TributaryFlightProducer producer = new TributaryFlightProducer(conf, true);
        FlightRuntimeException e = assertThrows(
                FlightRuntimeException.class,
                () -> producer.getFlightInfo(
                        null, FlightDescriptor.command("SELECT 1".getBytes(StandardCharsets.UTF_8))));
        assertEquals(FlightStatusCode.UNAUTHORIZED, e.status().code());
        assertEquals(
                "SQL commands are off on this Tributary Flight service (spark.tributary.flight.sql.enabled="
                        + "false); ask for a served name with a path descriptor: []",
                e.status().description());
    }
}
