package io.tributary.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.serving.PartitionTicket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FlightPartitionsTest {
    @Test
    void ticketsRoundTripAndNameNoSecret() {
        PartitionTicket ticket = new PartitionTicket("0123456789abcdef", 7, PartitionTicket.newSecret());
        assertEquals(ticket, FlightPartitions.decode(FlightPartitions.encode(ticket)));
    }

    @Test
    void refusesBytesThatAreNotATicket() {
        for (String bad : new String[] {
            "made-up",
            "0123456789abcdef/7",
            "0123456789ABCDEF/7/s",
            "0123456789abcdef/x/s",
            "0123456789abcdef/-1/s",
            "0123456789abcdef/1234567890/s"
        }) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> FlightPartitions.decode(bad.getBytes(StandardCharsets.UTF_8)),
                    bad);
            assertEquals(
                    "not a Tributary Flight ticket: pass the ticket of an endpoint that GetFlightInfo returned, "
                            + "unchanged",
                    e.getMessage());
        }
    }
}
