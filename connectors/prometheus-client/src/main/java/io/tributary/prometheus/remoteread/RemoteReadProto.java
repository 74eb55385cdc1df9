package io.tributary.prometheus.remoteread;

/**
 * Field numbers and enum values of the remote-read protobuf messages, as declared in Prometheus'
 * {@code prompb/remote.proto} (ReadRequest, Query, ReadResponse, QueryResult, ChunkedReadResponse) and
 * {@code prompb/types.proto} (LabelMatcher, Label, Sample, TimeSeries, ChunkedSeries, Chunk). The messages are few
 * and small, so they are read and written with protobuf's {@code CodedInputStream}/{@code CodedOutputStream}
 * directly instead of generated classes.
 */
final class RemoteReadProto {
    private RemoteReadProto() {}

    // remote.proto: ReadRequest
    static final int READ_REQUEST_QUERIES = 1;
    static final int READ_REQUEST_ACCEPTED_RESPONSE_TYPES = 2;
    // remote.proto: ReadRequest.ResponseType
    static final int RESPONSE_TYPE_SAMPLES = 0;
    static final int RESPONSE_TYPE_STREAMED_XOR_CHUNKS = 1;

    // remote.proto: Query
    static final int QUERY_START_TIMESTAMP_MS = 1;
    static final int QUERY_END_TIMESTAMP_MS = 2;
    static final int QUERY_MATCHERS = 3;

    // types.proto: LabelMatcher, and its Type enum
    static final int MATCHER_TYPE = 1;
    static final int MATCHER_NAME = 2;
    static final int MATCHER_VALUE = 3;
    static final int MATCHER_EQ = 0;
    static final int MATCHER_NEQ = 1;
    static final int MATCHER_RE = 2;
    static final int MATCHER_NRE = 3;

    // remote.proto: ReadResponse { repeated QueryResult results = 1; }, QueryResult { repeated TimeSeries = 1; }
    static final int READ_RESPONSE_RESULTS = 1;
    static final int QUERY_RESULT_TIMESERIES = 1;

    // types.proto: TimeSeries, Sample, Label
    static final int TIMESERIES_LABELS = 1;
    static final int TIMESERIES_SAMPLES = 2;
    static final int TIMESERIES_HISTOGRAMS = 4;
    static final int SAMPLE_VALUE = 1;
    static final int SAMPLE_TIMESTAMP = 2;
    static final int LABEL_NAME = 1;
    static final int LABEL_VALUE = 2;

    // remote.proto: ChunkedReadResponse { repeated ChunkedSeries chunked_series = 1; int64 query_index = 2; }
    static final int CHUNKED_RESPONSE_SERIES = 1;
    // types.proto: ChunkedSeries { repeated Label labels = 1; repeated Chunk chunks = 2; }
    static final int CHUNKED_SERIES_LABELS = 1;
    static final int CHUNKED_SERIES_CHUNKS = 2;
    // types.proto: Chunk { int64 min_time_ms = 1; int64 max_time_ms = 2; Encoding type = 3; bytes data = 4; }
    static final int CHUNK_MIN_TIME_MS = 1;
    static final int CHUNK_MAX_TIME_MS = 2;
    static final int CHUNK_TYPE = 3;
    static final int CHUNK_DATA = 4;
    // types.proto: Chunk.Encoding
    static final int CHUNK_ENCODING_XOR = 1;
    static final int CHUNK_ENCODING_HISTOGRAM = 2;
    static final int CHUNK_ENCODING_FLOAT_HISTOGRAM = 3;

    /** HTTP Content-Type of a streamed answer (STREAMED_XOR_CHUNKS); a SAMPLES answer is application/x-protobuf. */
    static final String STREAMED_CONTENT_TYPE = "application/x-streamed-protobuf";
}
