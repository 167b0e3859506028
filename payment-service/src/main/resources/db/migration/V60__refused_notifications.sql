-- Notifications refused before they proved to come from Alipay (undecodable, bad signature, stale replay): kept as
-- bounded evidence only (never the whole body), for a set time and a set number per source address, so that an
-- outsider cannot write to our storage at will. Verified notifications stay in received_notifications.
CREATE TABLE refused_notifications (
    id            VARCHAR(40)   NOT NULL,
    received_at   ${timestamp}  NOT NULL,
    remote_addr   VARCHAR(64)   NOT NULL,
    reason        VARCHAR(256)  NOT NULL,
    body_size     INTEGER       NOT NULL,
    body_sha256   VARCHAR(64)   NOT NULL,
    body_prefix   VARCHAR(256)  NOT NULL,
    CONSTRAINT pk_refused_notifications PRIMARY KEY (id)
);
CREATE INDEX ix_refused_notifications_source ON refused_notifications (remote_addr, received_at);
CREATE INDEX ix_refused_notifications_time ON refused_notifications (received_at);
