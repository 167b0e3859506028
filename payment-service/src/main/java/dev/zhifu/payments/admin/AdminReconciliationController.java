package dev.zhifu.payments.admin;

import dev.zhifu.payments.web.PageException;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Reconciled days and their discrepancies, through {@link ReconciliationConsole}. */
@Controller
@Hidden
public class AdminReconciliationController {

    private static final Logger log = LoggerFactory.getLogger(AdminReconciliationController.class);

    private final ReconciliationConsole reconciliation;

    public AdminReconciliationController(ReconciliationConsole reconciliation) {
        this.reconciliation = reconciliation;
    }

    @GetMapping("/admin/reconciliations")
    public String days(Model model) {
        model.addAttribute("section", "reconciliations");
        model.addAttribute("available", reconciliation.available());
        model.addAttribute("days", reconciliation.available() ? reconciliation.days(60) : java.util.List.of());
        model.addAttribute("today", reconciliation.today());
        return "admin/reconciliations";
    }

    @GetMapping("/admin/reconciliations/{date}")
    public String day(@PathVariable String date, Model model) {
        LocalDate day = parse(date);
        model.addAttribute("section", "reconciliations");
        model.addAttribute("available", reconciliation.available());
        model.addAttribute("date", day);
        model.addAttribute(
                "detail", reconciliation.available() ? reconciliation.day(day).orElse(null) : null);
        return "admin/reconciliation-day";
    }

    @PostMapping("/admin/reconciliations/{date}/run")
    public String run(@PathVariable String date, RedirectAttributes redirect) {
        LocalDate day = parse(date);
        requireAvailable();
        try {
            reconciliation.run(day);
        } catch (IllegalArgumentException future) {
            redirect.addFlashAttribute("errorKey", "recon.future");
            return "redirect:/admin/reconciliations";
        } catch (RuntimeException busy) { // another instance holds the day's lease
            log.info("Admin re-run of reconciliation of {} refused: {}", day, busy.getMessage());
            redirect.addFlashAttribute("errorKey", "recon.busy");
            return "redirect:/admin/reconciliations/" + day;
        }
        log.info("Admin re-ran reconciliation of {}", day);
        redirect.addFlashAttribute("noticeKey", "recon.ran");
        return "redirect:/admin/reconciliations/" + day;
    }

    @PostMapping("/admin/reconciliations/{date}/discrepancies/{id}/resolve")
    public String resolve(
            @PathVariable String date,
            @PathVariable String id,
            @RequestParam(required = false) String note,
            RedirectAttributes redirect) {
        LocalDate day = parse(date);
        requireAvailable();
        String text = note == null ? "" : note.strip();
        if (text.isEmpty() || text.length() > 512) {
            redirect.addFlashAttribute("errorKey", "recon.note_required");
            return "redirect:/admin/reconciliations/" + day;
        }
        try {
            reconciliation.resolve(day, id, text);
        } catch (IllegalStateException notOpen) {
            redirect.addFlashAttribute("errorKey", "recon.not_open");
            return "redirect:/admin/reconciliations/" + day;
        }
        log.info("Admin resolved discrepancy {} of {}", id, day);
        redirect.addFlashAttribute("noticeKey", "recon.resolved");
        return "redirect:/admin/reconciliations/" + day;
    }

    private void requireAvailable() {
        if (!reconciliation.available()) {
            throw new PageException(404, "recon.none");
        }
    }

    private static LocalDate parse(String date) {
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new PageException(404, "error.not_found");
        }
    }
}
