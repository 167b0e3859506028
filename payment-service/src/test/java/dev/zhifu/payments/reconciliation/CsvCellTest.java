package dev.zhifu.payments.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text from outside (order numbers, notes) cannot become a spreadsheet formula in the CSV export. */
class CsvCellTest {

    @Test
    void formulaLookingCellsAreQuoted() {
        assertThat(ReconciliationController.text("=HYPERLINK(\"http://x\")")).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(ReconciliationController.text("+1")).isEqualTo("'+1");
        assertThat(ReconciliationController.text("-2")).isEqualTo("'-2");
        assertThat(ReconciliationController.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    }

    @Test
    void ordinaryCellsAreLeftAlone() {
        assertThat(ReconciliationController.text("order-1001")).isEqualTo("order-1001");
        assertThat(ReconciliationController.text("")).isEmpty();
        assertThat(ReconciliationController.text(null)).isNull();
    }
}
