-- Runs unchanged on H2, PostgreSQL and MySQL/MariaDB. ${timestamp} is TIMESTAMP(3) on H2 and PostgreSQL and
-- DATETIME(3) on MySQL/MariaDB, whose TIMESTAMP ends in 2038 and shifts values by the session time zone.
-- All times are UTC. Money is DECIMAL(12,2) yuan.

CREATE TABLE payments (
    id               VARCHAR(40)   NOT NULL,
    out_trade_no     VARCHAR(64)   NOT NULL,
    trade_no         VARCHAR(64),
    method           VARCHAR(16)   NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    amount           DECIMAL(12,2) NOT NULL,
    refunded_amount  DECIMAL(12,2) NOT NULL,
    subject          VARCHAR(256)  NOT NULL,
    metadata         TEXT,
    request_hash     VARCHAR(64)   NOT NULL,
    return_url       VARCHAR(512),
    action_type      VARCHAR(16),
    action_value     TEXT,
    failure_code     VARCHAR(64),
    failure_message  VARCHAR(512),
    buyer_logon_id   VARCHAR(100),
    version          INT           NOT NULL,
    created_at       ${timestamp}  NOT NULL,
    updated_at       ${timestamp}  NOT NULL,
    expires_at       ${timestamp}  NOT NULL,
    paid_at          ${timestamp},
    closed_at        ${timestamp},
    -- background sync (order query / expiry) takes rows with a lease: SELECT ... FOR UPDATE SKIP LOCKED
    next_sync_at     ${timestamp},
    lease_owner      VARCHAR(64),
    lease_until      ${timestamp},
    CONSTRAINT pk_payments PRIMARY KEY (id),
    CONSTRAINT uq_payments_out_trade_no UNIQUE (out_trade_no)
);
CREATE INDEX ix_payments_status_expires ON payments (status, expires_at);
CREATE INDEX ix_payments_next_sync ON payments (next_sync_at);

CREATE TABLE refunds (
    id               VARCHAR(40)   NOT NULL,
    payment_id       VARCHAR(40)   NOT NULL,
    seq              INT           NOT NULL,
    -- derived from the payment and seq, so a retried call can never refund twice at Alipay
    out_request_no   VARCHAR(64)   NOT NULL,
    amount           DECIMAL(12,2) NOT NULL,
    reason           VARCHAR(256),
    status           VARCHAR(16)   NOT NULL,
    origin           VARCHAR(16)   NOT NULL,
    failure_code     VARCHAR(64),
    failure_message  VARCHAR(512),
    created_at       ${timestamp}  NOT NULL,
    updated_at       ${timestamp}  NOT NULL,
    succeeded_at     ${timestamp},
    next_sync_at     ${timestamp},
    lease_owner      VARCHAR(64),
    lease_until      ${timestamp},
    CONSTRAINT pk_refunds PRIMARY KEY (id),
    CONSTRAINT uq_refunds_out_request_no UNIQUE (out_request_no),
    CONSTRAINT uq_refunds_payment_seq UNIQUE (payment_id, seq),
    CONSTRAINT fk_refunds_payment FOREIGN KEY (payment_id) REFERENCES payments (id)
);
CREATE INDEX ix_refunds_status ON refunds (status, next_sync_at);

-- Transactional outbox: written in the transaction of the change it announces.
CREATE TABLE payment_events (
    id               VARCHAR(40)   NOT NULL,
    payment_id       VARCHAR(40)   NOT NULL,
    payment_version  INT           NOT NULL,
    type             VARCHAR(40)   NOT NULL,
    payload          TEXT          NOT NULL,
    created_at       ${timestamp}  NOT NULL,
    delivery_status  VARCHAR(16)   NOT NULL,
    attempts         INT           NOT NULL,
    next_attempt_at  ${timestamp},
    last_attempt_at  ${timestamp},
    last_error       VARCHAR(512),
    delivered_at     ${timestamp},
    lease_owner      VARCHAR(64),
    lease_until      ${timestamp},
    CONSTRAINT pk_payment_events PRIMARY KEY (id),
    CONSTRAINT fk_payment_events_payment FOREIGN KEY (payment_id) REFERENCES payments (id)
);
CREATE INDEX ix_payment_events_created ON payment_events (created_at);
CREATE INDEX ix_payment_events_delivery ON payment_events (delivery_status, next_attempt_at);
CREATE INDEX ix_payment_events_payment ON payment_events (payment_id, payment_version);

-- Money that arrived where it should not have (paid after we closed): needs a person and a refund.
CREATE TABLE payment_anomalies (
    id               VARCHAR(40)   NOT NULL,
    payment_id       VARCHAR(40)   NOT NULL,
    kind             VARCHAR(32)   NOT NULL,
    trade_no         VARCHAR(64)   NOT NULL,
    amount           DECIMAL(12,2) NOT NULL,
    detail           VARCHAR(512),
    detected_at      ${timestamp}  NOT NULL,
    resolved_at      ${timestamp},
    CONSTRAINT pk_payment_anomalies PRIMARY KEY (id),
    CONSTRAINT uq_payment_anomalies UNIQUE (payment_id, kind, trade_no),
    CONSTRAINT fk_payment_anomalies_payment FOREIGN KEY (payment_id) REFERENCES payments (id)
);

CREATE TABLE idempotency_keys (
    scope            VARCHAR(100)  NOT NULL,
    idempotency_key  VARCHAR(255)  NOT NULL,
    request_hash     VARCHAR(64)   NOT NULL,
    state            VARCHAR(16)   NOT NULL,
    response_status  INT,
    response_body    TEXT,
    created_at       ${timestamp}  NOT NULL,
    expires_at       ${timestamp}  NOT NULL,
    CONSTRAINT pk_idempotency_keys PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX ix_idempotency_keys_expires ON idempotency_keys (expires_at);

-- Every notification as received, verified or not, for audit.
CREATE TABLE received_notifications (
    id               VARCHAR(40)   NOT NULL,
    received_at      ${timestamp}  NOT NULL,
    remote_addr      VARCHAR(64),
    raw_body         TEXT          NOT NULL,
    charset          VARCHAR(16),
    notify_id        VARCHAR(128),
    notify_type      VARCHAR(64),
    out_trade_no     VARCHAR(64),
    trade_status     VARCHAR(32),
    outcome          VARCHAR(16)   NOT NULL,
    reason           VARCHAR(512),
    CONSTRAINT pk_received_notifications PRIMARY KEY (id)
);
CREATE INDEX ix_received_notifications_trade ON received_notifications (out_trade_no);
