package io.tributary.arrow;

import io.tributary.options.OptionReader;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * Options of the Arrow writer and of {@link ArrowExport}, parsed once by the sources' {@link OptionReader}:
 * write option, then the session conf {@code spark.tributary.arrow.<option>}, then the default; blank values refused.
 */
public final class ArrowWriteOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String COMPRESSION = "compression";
    public static final String MAX_RECORDS_PER_BATCH = "maxRecordsPerBatch";
    /** The source's name in its session confs, {@code spark.tributary.arrow.<option>}. */
    static final String SOURCE = "arrow";

    public static final String CONF_PREFIX = "spark.tributary." + SOURCE + ".";

    /** Uncompressed by default: only uncompressed IPC files can be memory-mapped by Polars and pyarrow. */
    public static final Compression DEFAULT_COMPRESSION = Compression.NONE;

    public static final int DEFAULT_MAX_RECORDS_PER_BATCH = 65_536;

    /** Record-batch body compression allowed by the Arrow IPC format. */
    public enum Compression {
        NONE(CompressionUtil.CodecType.NO_COMPRESSION),
        LZ4(CompressionUtil.CodecType.LZ4_FRAME),
        ZSTD(CompressionUtil.CodecType.ZSTD);

        private final CompressionUtil.CodecType codecType;

        Compression(CompressionUtil.CodecType codecType) {
            this.codecType = codecType;
        }

        public CompressionUtil.CodecType codecType() {
            return codecType;
        }

        /** The factory Arrow's writers take; Commons' factory cannot make the no-op codec. */
        public CompressionCodec.Factory factory() {
            return this == NONE ? NoCompressionCodec.Factory.INSTANCE : AlwaysCompressedCodecs.FACTORY;
        }

        /** A new codec; codecs hold native state, so each writer gets its own. */
        public CompressionCodec newCodec() {
            return factory().createCodec(codecType);
        }

        /** File name suffix before {@code .arrow}: empty when uncompressed. */
        String fileSuffix() {
            return this == NONE ? "" : "." + name().toLowerCase(Locale.ROOT);
        }
    }

    private final Compression compression;
    private final int maxRecordsPerBatch;

    private ArrowWriteOptions(Compression compression, int maxRecordsPerBatch) {
        this.compression = compression;
        this.maxRecordsPerBatch = maxRecordsPerBatch;
    }

    /**
     * @param options write options (keys case-insensitive)
     * @param sessionConf looks up a session conf by full key, e.g. {@code spark.tributary.arrow.compression}
     */
    public static ArrowWriteOptions from(Map<String, String> options, Function<String, Optional<String>> sessionConf) {
        Map<String, String> confs = new HashMap<>();
        for (String option : List.of(COMPRESSION, MAX_RECORDS_PER_BATCH)) {
            sessionConf.apply(CONF_PREFIX + option).ifPresent(value -> confs.put(CONF_PREFIX + option, value));
        }
        // Write options also carry Spark's own and other formats' (path, partitionBy...): unknown names pass.
        OptionReader lookup = OptionReader.of(SOURCE, options, confs);
        return new ArrowWriteOptions(
                lookup.getEnum(COMPRESSION, DEFAULT_COMPRESSION, Compression.class),
                lookup.getInt(MAX_RECORDS_PER_BATCH, DEFAULT_MAX_RECORDS_PER_BATCH, 1, Integer.MAX_VALUE));
    }

    /** Options only, no session conf. */
    public static ArrowWriteOptions from(Map<String, String> options) {
        return from(options, key -> Optional.empty());
    }

    public Compression compression() {
        return compression;
    }

    public int maxRecordsPerBatch() {
        return maxRecordsPerBatch;
    }

    @Override
    public String toString() {
        return "ArrowWriteOptions[compression=" + compression.name().toLowerCase(Locale.ROOT) + ", maxRecordsPerBatch="
                + maxRecordsPerBatch + "]";
    }
}
