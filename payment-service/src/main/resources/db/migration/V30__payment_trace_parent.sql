-- The trace (W3C trace id and span id, "traceid-spanid") of the API request that created the payment, so that
-- the span of Alipay's notification can link to it (operations: tracing). Not money; may stay NULL.
ALTER TABLE payments ADD trace_parent VARCHAR(64);
