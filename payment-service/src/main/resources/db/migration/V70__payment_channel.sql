-- WeChat Pay beside Alipay: the wallet a payment goes through. Null only while an any_qr payment waits for the
-- wallet that opens its code; set with PAID by the wallet that paid. Every payment before this was Alipay's.
ALTER TABLE payments ADD channel VARCHAR(16);
UPDATE payments SET channel = 'ALIPAY';
-- which gateway's endpoint a notification came to (/notify/alipay or /notify/wechatpay)
ALTER TABLE received_notifications ADD channel VARCHAR(16);
UPDATE received_notifications SET channel = 'ALIPAY';
