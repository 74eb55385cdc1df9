package io.tributary.arrow;

import org.apache.arrow.compression.Lz4CompressionCodec;
import org.apache.arrow.compression.ZstdCompressionCodec;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * Arrow's lz4 and zstd codecs, except that every buffer is stored compressed, an empty one as a compressed empty
 * input. Arrow Java stores an empty buffer as "uncompressed length 0" without a compressed frame, which pyarrow and
 * Polars reject ("Lz4 compressed input contains less than one frame"), and a buffer that compression does not make
 * smaller raw (length -1), which Polars 1.44 reads in place: the values then start 8 bytes into the buffer, and for
 * decimals (128-bit values, which it wants 16-byte aligned) it panics
 * ("cast_slice>TargetAlignmentGreaterAndInputNotAligned"). A compressed buffer is decompressed into memory of its
 * own. What it costs: a small buffer can grow by a few bytes of frame.
 */
final class AlwaysCompressedCodecs {
    /** Factory for Arrow's writers and {@link ArrowWriteOptions.Compression#newCodec}. */
    static final CompressionCodec.Factory FACTORY = new CompressionCodec.Factory() {
        @Override
        public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
            switch (codecType) {
                case LZ4_FRAME:
                    return new Lz4();
                case ZSTD:
                    return new Zstd();
                default:
                    throw new IllegalArgumentException("No compressing codec for " + codecType);
            }
        }

        @Override
        public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
            return codecType == CompressionUtil.CodecType.ZSTD ? new Zstd(compressionLevel) : createCodec(codecType);
        }
    };

    private AlwaysCompressedCodecs() {}

    /**
     * Puts the uncompressed length in the 8 bytes the codec left free (little-endian, as Arrow buffers are on every
     * platform Spark's Arrow support runs on) and releases the uncompressed buffer, as Arrow's codecs do.
     */
    private static ArrowBuf withLength(ArrowBuf compressed, ArrowBuf uncompressed) {
        compressed.setLong(0, uncompressed.writerIndex());
        uncompressed.close();
        return compressed;
    }

    private static final class Lz4 extends Lz4CompressionCodec {
        @Override
        public ArrowBuf compress(BufferAllocator allocator, ArrowBuf uncompressed) {
            return withLength(doCompress(allocator, uncompressed), uncompressed);
        }
    }

    private static final class Zstd extends ZstdCompressionCodec {
        Zstd() {}

        Zstd(int level) {
            super(level);
        }

        @Override
        public ArrowBuf compress(BufferAllocator allocator, ArrowBuf uncompressed) {
            return withLength(doCompress(allocator, uncompressed), uncompressed);
        }
    }
}
