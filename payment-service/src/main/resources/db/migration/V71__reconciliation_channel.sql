-- Reconciliation per channel (Alipay, WeChat Pay): each day is reconciled once per channel against that
-- channel's own bill, so the channel joins the keys of the days, the kept bill files, the bill lines and the
-- discrepancies. Every row before this was Alipay's. Runs unchanged on H2, PostgreSQL and MySQL/MariaDB: a
-- primary key cannot be altered the same way on all three, so each table is renamed aside, created again
-- (constraints under new names, as the renamed table keeps the old ones until it is dropped), filled back
-- and the old one dropped; indexes keep their names.

ALTER TABLE reconciliation_days RENAME TO reconciliation_days_v20;
CREATE TABLE reconciliation_days (
    bill_date             DATE          NOT NULL,
    channel               VARCHAR(16)   NOT NULL,
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
    CONSTRAINT pk_reconciliation_channel_days PRIMARY KEY (bill_date, channel)
);
INSERT INTO reconciliation_days (bill_date, channel, status, run_no, attempts, next_attempt_at, last_error,
        lease_owner, lease_until, created_at, updated_at, started_at, finished_at, bill_run_no, bill_file_code,
        bill_file_name, bill_size, bill_sha256, bill_downloaded_at, line_count, payment_line_count,
        refund_line_count, payment_total, refund_total, service_fee_total, footer_payment_count,
        footer_payment_total, footer_refund_count, footer_refund_total, matched_count)
    SELECT bill_date, 'ALIPAY', status, run_no, attempts, next_attempt_at, last_error, lease_owner, lease_until,
        created_at, updated_at, started_at, finished_at, bill_run_no, bill_file_code, bill_file_name, bill_size,
        bill_sha256, bill_downloaded_at, line_count, payment_line_count, refund_line_count, payment_total,
        refund_total, service_fee_total, footer_payment_count, footer_payment_total, footer_refund_count,
        footer_refund_total, matched_count
    FROM reconciliation_days_v20;
DROP TABLE reconciliation_days_v20;
CREATE INDEX ix_reconciliation_days_due ON reconciliation_days (status, next_attempt_at);

-- the kept file: Alipay's zip, or WeChat Pay's CSV text as downloaded (UTF-8)
ALTER TABLE reconciliation_bill_chunks RENAME TO reconciliation_bill_chunks_v20;
CREATE TABLE reconciliation_bill_chunks (
    bill_date             DATE          NOT NULL,
    channel               VARCHAR(16)   NOT NULL,
    run_no                INT           NOT NULL,
    seq                   INT           NOT NULL,
    content               TEXT          NOT NULL,
    CONSTRAINT pk_reconciliation_channel_chunks PRIMARY KEY (bill_date, channel, run_no, seq)
);
INSERT INTO reconciliation_bill_chunks (bill_date, channel, run_no, seq, content)
    SELECT bill_date, 'ALIPAY', run_no, seq, content FROM reconciliation_bill_chunks_v20;
DROP TABLE reconciliation_bill_chunks_v20;

ALTER TABLE reconciliation_bill_lines RENAME TO reconciliation_bill_lines_v20;
CREATE TABLE reconciliation_bill_lines (
    bill_date             DATE          NOT NULL,
    channel               VARCHAR(16)   NOT NULL,
    line_no               INT           NOT NULL,
    line_type             VARCHAR(8)    NOT NULL,
    trade_no              VARCHAR(64),
    out_trade_no          VARCHAR(64),
    out_request_no        VARCHAR(64),
    amount                DECIMAL(12,2) NOT NULL,
    service_fee           DECIMAL(12,2) NOT NULL,
    finished_at           ${timestamp},
    CONSTRAINT pk_reconciliation_channel_lines PRIMARY KEY (bill_date, channel, line_no)
);
INSERT INTO reconciliation_bill_lines (bill_date, channel, line_no, line_type, trade_no, out_trade_no,
        out_request_no, amount, service_fee, finished_at)
    SELECT bill_date, 'ALIPAY', line_no, line_type, trade_no, out_trade_no, out_request_no, amount, service_fee,
        finished_at
    FROM reconciliation_bill_lines_v20;
DROP TABLE reconciliation_bill_lines_v20;
CREATE INDEX ix_reconciliation_lines_trade ON reconciliation_bill_lines (out_trade_no, line_type, bill_date);
CREATE INDEX ix_reconciliation_lines_request ON reconciliation_bill_lines (out_request_no, line_type, bill_date);

-- a finding is the same on a re-run by day, channel, kind and reference
ALTER TABLE reconciliation_discrepancies RENAME TO reconciliation_discrepancies_v20;
CREATE TABLE reconciliation_discrepancies (
    id                    VARCHAR(40)   NOT NULL,
    bill_date             DATE          NOT NULL,
    channel               VARCHAR(16)   NOT NULL,
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
    CONSTRAINT pk_reconciliation_channel_discrepancies PRIMARY KEY (id),
    CONSTRAINT uq_reconciliation_channel_discrepancies UNIQUE (bill_date, channel, kind, ref_key)
);
INSERT INTO reconciliation_discrepancies (id, bill_date, channel, kind, ref_key, status, out_trade_no, trade_no,
        out_request_no, payment_id, refund_id, alipay_amount, local_amount, alipay_status, local_status,
        alipay_time, local_time, detail, repair, repaired_at, resolution_note, resolved_at, run_no, detected_at,
        updated_at)
    SELECT id, bill_date, 'ALIPAY', kind, ref_key, status, out_trade_no, trade_no, out_request_no, payment_id,
        refund_id, alipay_amount, local_amount, alipay_status, local_status, alipay_time, local_time, detail,
        repair, repaired_at, resolution_note, resolved_at, run_no, detected_at, updated_at
    FROM reconciliation_discrepancies_v20;
DROP TABLE reconciliation_discrepancies_v20;
CREATE INDEX ix_reconciliation_discrepancies_day ON reconciliation_discrepancies (bill_date, status);
