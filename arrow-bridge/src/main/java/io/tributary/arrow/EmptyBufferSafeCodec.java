package io.tributary.arrow;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * Arrow Java writes an empty buffer as "uncompressed length 0" with no compressed frame, which pyarrow and Polars
 * reject ("Lz4 compressed input contains less than one frame"). This codec stores empty buffers raw (length -1,
 * allowed by the IPC format for any buffer) and leaves every other buffer to Arrow's lz4/zstd codec.
 */
final class EmptyBufferSafeCodec implements CompressionCodec {
    /** Factory for Arrow's writers. */
    static final CompressionCodec.Factory FACTORY = new CompressionCodec.Factory() {
        @Override
        public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
            return new EmptyBufferSafeCodec(CommonsCompressionFactory.INSTANCE.createCodec(codecType));
        }

        @Override
        public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
            return new EmptyBufferSafeCodec(
                    CommonsCompressionFactory.INSTANCE.createCodec(codecType, compressionLevel));
        }
    };

    private final CompressionCodec delegate;

    private EmptyBufferSafeCodec(CompressionCodec delegate) {
        this.delegate = delegate;
    }

    @Override
    public ArrowBuf compress(BufferAllocator allocator, ArrowBuf uncompressed) {
        if (uncompressed.writerIndex() == 0) {
            ArrowBuf raw = CompressionUtil.packageRawBuffer(allocator, uncompressed);
            uncompressed.close();
            return raw;
        }
        return delegate.compress(allocator, uncompressed);
    }

    @Override
    public ArrowBuf decompress(BufferAllocator allocator, ArrowBuf compressed) {
        return delegate.decompress(allocator, compressed);
    }

    @Override
    public CompressionUtil.CodecType getCodecType() {
        return delegate.getCodecType();
    }
}
