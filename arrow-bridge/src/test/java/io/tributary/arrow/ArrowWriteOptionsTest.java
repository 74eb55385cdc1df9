package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArrowWriteOptionsTest {

    @Test
    void defaultsAreUncompressedAnd65536Rows() {
        ArrowWriteOptions o = ArrowWriteOptions.from(Map.of());
        assertEquals(ArrowWriteOptions.Compression.NONE, o.compression());
        assertEquals(65_536, o.maxRecordsPerBatch());
    }

    @Test
    void optionWinsOverSessionConfWhichWinsOverDefault() {
        Map<String, String> conf =
                Map.of("spark.tributary.arrow.compression", "zstd", "spark.tributary.arrow.maxRecordsPerBatch", "1000");
        ArrowWriteOptions fromConf = ArrowWriteOptions.from(Map.of(), k -> Optional.ofNullable(conf.get(k)));
        assertEquals(ArrowWriteOptions.Compression.ZSTD, fromConf.compression());
        assertEquals(1000, fromConf.maxRecordsPerBatch());

        ArrowWriteOptions fromOption = ArrowWriteOptions.from(
                Map.of("COMPRESSION", "LZ4", "maxrecordsperbatch", "7"), k -> Optional.ofNullable(conf.get(k)));
        assertEquals(ArrowWriteOptions.Compression.LZ4, fromOption.compression());
        assertEquals(7, fromOption.maxRecordsPerBatch());
    }

    @Test
    void badValuesNameTheOptionAndWhatIsAllowed() {
        assertEquals(
                "Option 'compression' must be one of none, lz4, zstd, got 'snappy'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ArrowWriteOptions.from(Map.of("compression", "snappy")))
                        .getMessage());
        assertEquals(
                "Option 'maxRecordsPerBatch' must be a whole number from 1 to 2147483647, got '0'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ArrowWriteOptions.from(Map.of("maxRecordsPerBatch", "0")))
                        .getMessage());
        assertEquals(
                "Option 'maxRecordsPerBatch' must be a whole number from 1 to 2147483647, got 'many'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ArrowWriteOptions.from(Map.of("maxRecordsPerBatch", "many")))
                        .getMessage());
    }
}
