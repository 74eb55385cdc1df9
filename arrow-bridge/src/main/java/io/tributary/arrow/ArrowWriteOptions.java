package io.tributary.arrow;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * Options of the Arrow writer and of {@link ArrowExport}, parsed once. Precedence: write option, then the session
 * conf {@code spark.tributary.arrow.<option>}, then the default.
 */
public final class ArrowWriteOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String COMPRESSION = "compression";
    public static final String MAX_RECORDS_PER_BATCH = "maxRecordsPerBatch";
    public static final String CONF_PREFIX = "spark.tributary.arrow.";

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

        static Compression parse(String value) {
            for (Compression c : values()) {
                if (c.name().equalsIgnoreCase(value.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("Option '" + COMPRESSION + "' must be one of none, lz4, zstd, but was '"
                    + value + "'");
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
        Map<String, String> opts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        opts.putAll(options);
        Compression compression = lookup(opts, sessionConf, COMPRESSION)
                .map(Compression::parse).orElse(DEFAULT_COMPRESSION);
        int maxRecords = lookup(opts, sessionConf, MAX_RECORDS_PER_BATCH)
                .map(ArrowWriteOptions::parseMaxRecords).orElse(DEFAULT_MAX_RECORDS_PER_BATCH);
        return new ArrowWriteOptions(compression, maxRecords);
    }

    /** Options only, no session conf. */
    public static ArrowWriteOptions from(Map<String, String> options) {
        return from(options, key -> Optional.empty());
    }

    private static Optional<String> lookup(Map<String, String> opts, Function<String, Optional<String>> sessionConf,
            String name) {
        String value = opts.get(name);
        return value != null ? Optional.of(value) : sessionConf.apply(CONF_PREFIX + name);
    }

    private static int parseMaxRecords(String value) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            parsed = 0;
        }
        if (parsed < 1) {
            throw new IllegalArgumentException("Option '" + MAX_RECORDS_PER_BATCH
                    + "' must be a whole number from 1 to " + Integer.MAX_VALUE + ", but was '" + value + "'");
        }
        return parsed;
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
