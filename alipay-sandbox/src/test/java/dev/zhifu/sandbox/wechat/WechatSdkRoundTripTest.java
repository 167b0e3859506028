package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.service.payments.app.AppService;
import com.wechat.pay.java.service.payments.h5.H5Service;
import com.wechat.pay.java.service.payments.h5.model.SceneInfo;
import com.wechat.pay.java.service.payments.jsapi.JsapiService;
import com.wechat.pay.java.service.payments.jsapi.model.Payer;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.CloseOrderRequest;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import com.wechat.pay.java.service.payments.nativepay.model.QueryOrderByIdRequest;
import com.wechat.pay.java.service.payments.nativepay.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.refund.RefundService;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import com.wechat.pay.java.service.refund.model.Refund;
import com.wechat.pay.java.service.refund.model.Status;
import dev.zhifu.sandbox.AlipaySandbox;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official WeChat Pay SDK, in public key mode, against the sandbox: it must take every answer as WeChat Pay's. */
class WechatSdkRoundTripTest {

    private static AlipaySandbox sandbox;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        sandbox = AlipaySandbox.builder().build().start();
        http = WechatSdkClients.httpClient(sandbox, WechatSdkClients.publicKeyConfig(sandbox));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static String newOrderNo() {
        return "WX" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static String nativeOrder(String outTradeNo, int fen) {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(sandbox.wechatPay().appid());
        request.setMchid(sandbox.wechatPay().mchid());
        request.setDescription("沙箱测试商品");
        request.setOutTradeNo(outTradeNo);
        request.setNotifyUrl("http://127.0.0.1:9/notify");
        Amount amount = new Amount();
        amount.setTotal(fen);
        request.setAmount(amount);
        return nativePay().prepay(request).getCodeUrl();
    }

    private static NativePayService nativePay() {
        return new NativePayService.Builder().httpClient(http).build();
    }

    private static Transaction queryByOutTradeNo(String outTradeNo) {
        QueryOrderByOutTradeNoRequest query = new QueryOrderByOutTradeNoRequest();
        query.setMchid(sandbox.wechatPay().mchid());
        query.setOutTradeNo(outTradeNo);
        return nativePay().queryOrderByOutTradeNo(query);
    }

    @Test
    void nativePrepayAnswersACodeUrlAndTheOrderIsNotPaid() {
        String no = newOrderNo();
        String codeUrl = nativeOrder(no, 1);

        assertThat(codeUrl).startsWith(sandbox.baseUrl() + "/sandbox/wechat/qr/wx");
        Transaction t = queryByOutTradeNo(no);
        assertThat(t.getTradeState()).isEqualTo(Transaction.TradeStateEnum.NOTPAY);
        assertThat(t.getAmount().getTotal()).isEqualTo(1);
        assertThat(t.getTransactionId()).isNull();
    }

    @Test
    void paidOrderIsFoundByOutTradeNoAndByTransactionId() {
        String no = newOrderNo();
        nativeOrder(no, 1234);
        sandbox.control().pay(no);

        Transaction byNo = queryByOutTradeNo(no);
        assertThat(byNo.getTradeState()).isEqualTo(Transaction.TradeStateEnum.SUCCESS);
        assertThat(byNo.getTradeType()).isEqualTo(Transaction.TradeTypeEnum.NATIVE);
        assertThat(byNo.getSuccessTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00");
        QueryOrderByIdRequest byId = new QueryOrderByIdRequest();
        byId.setMchid(sandbox.wechatPay().mchid());
        byId.setTransactionId(byNo.getTransactionId());
        assertThat(nativePay().queryOrderById(byId).getOutTradeNo()).isEqualTo(no);
    }

    @Test
    void jsapiH5AndAppPrepayAnswerTheirOwnFields() {
        var jsapiRequest = new com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest();
        jsapiRequest.setAppid(sandbox.wechatPay().appid());
        jsapiRequest.setMchid(sandbox.wechatPay().mchid());
        jsapiRequest.setDescription("JSAPI");
        jsapiRequest.setOutTradeNo(newOrderNo());
        jsapiRequest.setNotifyUrl("http://127.0.0.1:9/notify");
        var jsapiAmount = new com.wechat.pay.java.service.payments.jsapi.model.Amount();
        jsapiAmount.setTotal(100);
        jsapiRequest.setAmount(jsapiAmount);
        Payer payer = new Payer();
        payer.setOpenid("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
        jsapiRequest.setPayer(payer);
        String prepayId = new JsapiService.Builder()
                .httpClient(http)
                .build()
                .prepay(jsapiRequest)
                .getPrepayId();
        assertThat(prepayId).startsWith("wx");

        var h5Request = new com.wechat.pay.java.service.payments.h5.model.PrepayRequest();
        h5Request.setAppid(sandbox.wechatPay().appid());
        h5Request.setMchid(sandbox.wechatPay().mchid());
        h5Request.setDescription("H5");
        h5Request.setOutTradeNo(newOrderNo());
        h5Request.setNotifyUrl("http://127.0.0.1:9/notify");
        var h5Amount = new com.wechat.pay.java.service.payments.h5.model.Amount();
        h5Amount.setTotal(100);
        h5Request.setAmount(h5Amount);
        SceneInfo scene = new SceneInfo();
        scene.setPayerClientIp("127.0.0.1");
        h5Request.setSceneInfo(scene);
        String h5Url = new H5Service.Builder()
                .httpClient(http)
                .build()
                .prepay(h5Request)
                .getH5Url();
        assertThat(h5Url).startsWith(sandbox.baseUrl() + "/sandbox/wechat/h5?prepay_id=wx");

        var appRequest = new com.wechat.pay.java.service.payments.app.model.PrepayRequest();
        appRequest.setAppid(sandbox.wechatPay().appid());
        appRequest.setMchid(sandbox.wechatPay().mchid());
        appRequest.setDescription("APP");
        appRequest.setOutTradeNo(newOrderNo());
        appRequest.setNotifyUrl("http://127.0.0.1:9/notify");
        var appAmount = new com.wechat.pay.java.service.payments.app.model.Amount();
        appAmount.setTotal(100);
        appRequest.setAmount(appAmount);
        assertThat(new AppService.Builder()
                        .httpClient(http)
                        .build()
                        .prepay(appRequest)
                        .getPrepayId())
                .startsWith("wx");
    }

    @Test
    void closedOrderAnswersNoContentThenShowsClosed() {
        String no = newOrderNo();
        nativeOrder(no, 1);
        CloseOrderRequest close = new CloseOrderRequest();
        close.setMchid(sandbox.wechatPay().mchid());
        close.setOutTradeNo(no);

        nativePay().closeOrder(close); // 204: the SDK still verifies the signature over the empty body

        assertThat(queryByOutTradeNo(no).getTradeState()).isEqualTo(Transaction.TradeStateEnum.CLOSED);
    }

    @Test
    void unknownOrderIsOrderNotExistWith404() {
        assertThatThrownBy(() -> queryByOutTradeNo("NO_SUCH_ORDER_1"))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.getHttpStatusCode()).isEqualTo(404);
                    assertThat(e.getErrorCode()).isEqualTo("ORDER_NOT_EXIST");
                });
    }

    @Test
    void refundIsProcessingThenSuccessAndTheOrderShowsRefund() throws Exception {
        String no = newOrderNo();
        nativeOrder(no, 500);
        sandbox.control().pay(no);
        RefundService refunds = new RefundService.Builder().httpClient(http).build();
        CreateRequest create = new CreateRequest();
        create.setOutTradeNo(no);
        create.setOutRefundNo("R" + no);
        AmountReq amount = new AmountReq();
        amount.setRefund(200L);
        amount.setTotal(500L);
        amount.setCurrency("CNY");
        create.setAmount(amount);

        Refund created = refunds.create(create);

        assertThat(created.getStatus()).isIn(Status.PROCESSING, Status.SUCCESS);
        assertThat(created.getAmount().getRefund()).isEqualTo(200L);
        QueryByOutRefundNoRequest query = new QueryByOutRefundNoRequest();
        query.setOutRefundNo("R" + no);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Refund queried = refunds.queryByOutRefundNo(query);
        while (queried.getStatus() != Status.SUCCESS && System.nanoTime() < deadline) {
            Thread.sleep(20);
            queried = refunds.queryByOutRefundNo(query);
        }
        assertThat(queried.getStatus()).isEqualTo(Status.SUCCESS);
        assertThat(queried.getRefundId()).isEqualTo(created.getRefundId());
        assertThat(queryByOutTradeNo(no).getTradeState()).isEqualTo(Transaction.TradeStateEnum.REFUND);
    }

    @Test
    void refundBeyondThePaidAmountIsRefused() {
        String no = newOrderNo();
        nativeOrder(no, 100);
        sandbox.control().pay(no);
        CreateRequest create = new CreateRequest();
        create.setOutTradeNo(no);
        create.setOutRefundNo("R" + no);
        AmountReq amount = new AmountReq();
        amount.setRefund(101L);
        amount.setTotal(100L);
        amount.setCurrency("CNY");
        create.setAmount(amount);

        assertThatThrownBy(() ->
                        new RefundService.Builder().httpClient(http).build().create(create))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.getHttpStatusCode()).isEqualTo(400);
                    assertThat(e.getErrorCode()).isEqualTo("INVALID_REQUEST");
                });
    }
}
