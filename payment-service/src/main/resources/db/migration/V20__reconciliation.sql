-- Daily reconciliation against Alipay's trade bill (issue 6). Runs unchanged on H2, PostgreSQL and
-- MySQL/MariaDB: ${timestamp} as in V1, money DECIMAL(12,2), bill_date is Alipay's day (GMT+8).

-- One row per bill day: the last run's outcome, the lease of the instance running it, the kept file's
-- identity and the day's totals.
CREATE TABLE reconciliation_days (
    bill_date             DATE          NOT NULL,
    status                VARCHAR(24)   NOT NULL,
    run_no                INT           NOT NULL,
    attempts              INT           NOT NULL,
    next_attempt_at       ${timestamp},
    last_error            VARCHAR(512),
    lease_owner           VARCHAR(64),
    lease_until           ${timestamp},
    created_at            ${timestamp}  NOT NULL,
    updated_at            ${timestamp}  NOT NULL,
    started_at            ${timestamp},
    finished_at           ${timestamp},
    bill_run_no           INT,
    bill_file_code        VARCHAR(64),
    bill_file_name        VARCHAR(200),
    bill_size             BIGINT,
    bill_sha256           VARCHAR(64),
    bill_downloaded_at    ${timestamp},
    line_count            INT,
    payment_line_count    INT,
    refund_line_count     INT,
    payment_total         DECIMAL(12,2),
    refund_total          DECIMAL(12,2),
    service_fee_total     DECIMAL(12,2),
    footer_payment_count  INT,
    footer_payment_total  DECIMAL(12,2),
    footer_refund_count   INT,
    footer_refund_total   DECIMAL(12,2),
    matched_count         INT,
    CONSTRAINT pk_reconciliation_days PRIMARY KEY (bill_date)
);
CREATE INDEX ix_reconciliation_days_due ON reconciliation_days (status, next_attempt_at);

-- The original bill zip as downloaded, in base64 chunks of 32 KiB (TEXT is the one large type the three
-- databases share; chunks keep memory flat both ways). Kept per run until a newer download is complete.
CREATE TABLE reconciliation_bill_chunks (
    bill_date             DATE          NOT NULL,
    run_no                INT           NOT NULL,
    seq                   INT           NOT NULL,
    content               TEXT          NOT NULL,
    CONSTRAINT pk_reconciliation_bill_chunks PRIMARY KEY (bill_date, run_no, seq)
);

-- The keys of every bill line, so that "missing at Alipay" is one anti-join in the database and a payment
-- near midnight can be found in the neighbouring day's bill.
CREATE TABLE reconciliation_bill_lines (
    bill_date             DATE          NOT NULL,
    line_no               INT           NOT NULL,
    line_type             VARCHAR(8)    NOT NULL,
    trade_no              VARCHAR(64),
    out_trade_no          VARCHAR(64),
    out_request_no        VARCHAR(64),
    amount                DECIMAL(12,2) NOT NULL,
    service_fee           DECIMAL(12,2) NOT NULL,
    finished_at           ${timestamp},
    CONSTRAINT pk_reconciliation_bill_lines PRIMARY KEY (bill_date, line_no)
);
CREATE INDEX ix_reconciliation_lines_trade ON reconciliation_bill_lines (out_trade_no, line_type, bill_date);
CREATE INDEX ix_reconciliation_lines_request ON reconciliation_bill_lines (out_request_no, line_type, bill_date);

-- What did not match, with both sides' values; OPEN (a person looks), REPAIRED (applied automatically through
-- the ledgers) or RESOLVED (a person's note). Unique per day, kind and reference, so a re-run updates in place.
CREATE TABLE reconciliation_discrepancies (
    id                    VARCHAR(40)   NOT NULL,
    bill_date             DATE          NOT NULL,
    kind                  VARCHAR(40)   NOT NULL,
    ref_key               VARCHAR(160)  NOT NULL,
    status                VARCHAR(16)   NOT NULL,
    out_trade_no          VARCHAR(64),
    trade_no              VARCHAR(64),
    out_request_no        VARCHAR(64),
    payment_id            VARCHAR(40),
    refund_id             VARCHAR(40),
    alipay_amount         DECIMAL(12,2),
    local_amount          DECIMAL(12,2),
    alipay_status         VARCHAR(32),
    local_status          VARCHAR(32),
    alipay_time           ${timestamp},
    local_time            ${timestamp},
    detail                VARCHAR(1000),
    repair                VARCHAR(512),
    repaired_at           ${timestamp},
    resolution_note       VARCHAR(1000),
    resolved_at           ${timestamp},
    run_no                INT           NOT NULL,
    detected_at           ${timestamp}  NOT NULL,
    updated_at            ${timestamp}  NOT NULL,
    CONSTRAINT pk_reconciliation_discrepancies PRIMARY KEY (id),
    CONSTRAINT uq_reconciliation_discrepancies UNIQUE (bill_date, kind, ref_key)
);
CREATE INDEX ix_reconciliation_discrepancies_day ON reconciliation_discrepancies (bill_date, status);

-- "missing at Alipay" walks our payments and refunds of a day by time
CREATE INDEX ix_payments_reconciliation_paid ON payments (paid_at);
CREATE INDEX ix_refunds_reconciliation_succeeded ON refunds (succeeded_at);
