package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.service.billdownload.BillDownloadServiceExtension;
import com.wechat.pay.java.service.billdownload.DigestBillEntity;
import com.wechat.pay.java.service.billdownload.model.AccountType;
import com.wechat.pay.java.service.billdownload.model.BillType;
import com.wechat.pay.java.service.billdownload.model.GetFundFlowBillRequest;
import com.wechat.pay.java.service.billdownload.model.GetTradeBillRequest;
import com.wechat.pay.java.service.billdownload.model.TarType;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.wechat.pay.WechatTime;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK's bill downloads, trade and fund flow bills: it fetches the signed address, downloads, unzips and checks
 * the SHA-1 itself.
 */
class WechatTradeBillTest {

    private static AlipaySandbox sandbox;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        sandbox = AlipaySandbox.builder().build().start();
        http = WechatSdkClients.httpClient(sandbox, WechatSdkClients.publicKeyConfig(sandbox));
        paidOrder("BILL_ORDER_1", 1234);
        paidOrder("BILL_ORDER_2", 1);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static void paidOrder(String no, int fen) {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(sandbox.wechatPay().appid());
        request.setMchid(sandbox.wechatPay().mchid());
        request.setDescription("对账单");
        request.setOutTradeNo(no);
        request.setNotifyUrl("http://127.0.0.1:9/notify");
        Amount amount = new Amount();
        amount.setTotal(fen);
        request.setAmount(amount);
        new NativePayService.Builder().httpClient(http).build().prepay(request);
        sandbox.control().pay(no);
    }

    private static String download(String billDate, TarType tarType) throws Exception {
        GetTradeBillRequest request = new GetTradeBillRequest();
        request.setBillDate(billDate);
        request.setBillType(BillType.ALL);
        request.setTarType(tarType);
        DigestBillEntity bill = new BillDownloadServiceExtension.Builder()
                .httpClient(http)
                .decryptor(WechatSdkClients.publicKeyConfig(sandbox).createDecryptor())
                .build()
                .getTradeBill(request);
        String text = new String(bill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bill.verifyHash()).as("SHA-1 of the bill").isTrue();
        return text;
    }

    private static String today() {
        return LocalDate.now(WechatTime.BEIJING).toString();
    }

    @Test
    void gzipBillPassesTheSdksHashCheckAndHasWechatPaysLayout() throws Exception {
        List<String> lines = download(today(), TarType.GZIP).lines().toList();

        assertThat(lines.get(0)).startsWith("交易时间,公众账号ID,商户号,");
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .contains(",`BILL_ORDER_1,")
                        .contains(",`NATIVE,`SUCCESS,")
                        .contains(",`12.34,"));
        assertThat(lines.get(lines.size() - 2)).startsWith("总交易单数,");
        assertThat(lines.get(lines.size() - 1)).startsWith("`2,`12.35,`0.00,");
    }

    @Test
    void plainBillPassesTheSdksHashCheckToo() throws Exception {
        assertThat(download(today(), null)).contains("`BILL_ORDER_2,");
    }

    @Test
    void dayWithoutTradesHasNoStatement() {
        assertThatThrownBy(() -> download("2020-01-01", TarType.GZIP))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.getHttpStatusCode()).isEqualTo(400);
                    assertThat(e.getErrorCode()).isEqualTo("NO_STATEMENT_EXIST");
                });
    }

    private static String fundFlow(String billDate, AccountType account, TarType tarType) throws Exception {
        GetFundFlowBillRequest request = new GetFundFlowBillRequest();
        request.setBillDate(billDate);
        request.setAccountType(account);
        request.setTarType(tarType);
        DigestBillEntity bill = new BillDownloadServiceExtension.Builder()
                .httpClient(http)
                .decryptor(WechatSdkClients.publicKeyConfig(sandbox).createDecryptor())
                .build()
                .getFundFlowBill(request);
        String text = new String(bill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bill.verifyHash()).as("SHA-1 of the fund flow bill").isTrue();
        return text;
    }

    @Test
    void fundFlowBillOfTheBasicAccountPassesTheSdksHashCheckGzippedAndPlain() throws Exception {
        List<String> lines =
                fundFlow(today(), AccountType.BASIC, TarType.GZIP).lines().toList();

        assertThat(lines.get(0)).isEqualTo("记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号");
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).contains(",`交易,`交易,`收入,`12.34,").endsWith(",`BILL_ORDER_1"));
        assertThat(lines.get(lines.size() - 2)).isEqualTo("资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("`2,`2,`12.35,`0,`0.00");
        assertThat(fundFlow(today(), AccountType.BASIC, null)).isEqualTo(String.join("\r\n", lines) + "\r\n");
    }

    @Test
    void fundFlowBillOfAnAccountOrDayWithoutMovementsHasNoStatement() {
        for (AccountType account : new AccountType[] {AccountType.OPERATION, AccountType.FEES}) {
            assertThatThrownBy(() -> fundFlow(today(), account, null))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.getHttpStatusCode()).isEqualTo(400);
                        assertThat(e.getErrorCode()).isEqualTo("NO_STATEMENT_EXIST");
                    });
        }
        assertThatThrownBy(() -> fundFlow("2020-01-01", AccountType.BASIC, TarType.GZIP))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("NO_STATEMENT_EXIST"));
    }

    @Test
    void fundFlowBillWithABadDateOrAccountIsAParamError() {
        assertThatThrownBy(() -> fundFlow("2026/12/01", AccountType.BASIC, null))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.getHttpStatusCode()).isEqualTo(400);
                    assertThat(e.getErrorCode()).isEqualTo("PARAM_ERROR");
                });
        assertThatThrownBy(() -> fundFlow(today(), AccountType.ALL, null))
                .as("ALL is for sub-merchants' bills, not a merchant's own account")
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("PARAM_ERROR"));
    }
}
