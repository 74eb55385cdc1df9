package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MedianTest {
    @Test
    void theMiddleRunOfAnOddNumberAndTheUpperMiddleOfAnEvenNumber() {
        double[] runs = {3.0, 1.0, 2.0};
        assertEquals(2.0, Median.of(runs));
        assertEquals(3.0, runs[0], "the runs keep their order");
        assertEquals(3.0, Median.of(4.0, 1.0, 3.0, 2.0));
        assertEquals(7.5, Median.of(7.5));
    }

    @Test
    void noRunsHaveNoMedian() {
        assertEquals(
                "no values to take the median of",
                assertThrows(IllegalArgumentException.class, Median::of).getMessage());
    }
}
