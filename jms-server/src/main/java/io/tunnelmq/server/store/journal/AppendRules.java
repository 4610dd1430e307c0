package io.tunnelmq.server.store.journal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the writer refuses: an Add of an id that is live (in the index or earlier in the same group). */
final class AppendRules {
    private AppendRules() {
    }

    /**
     * Null if {@code ops} may be appended after the group's earlier records, whose effect on liveness is in
     * {@code overlay} (which this then updates); otherwise why not.
     */
    static String refusal(List<JournalOp> ops, Map<Long, Boolean> overlay, LiveIndex index) {
        Map<Long, Boolean> record = new HashMap<>();
        for (JournalOp op : ops) {
            if (op instanceof JournalOp.Add) {
                Boolean live = record.containsKey(op.id()) ? record.get(op.id()) : overlay.get(op.id());
                if (live == null ? index.isLive(op.id()) : live) {
                    return "record " + op.id() + " is already live: ids must be unique among live records (delete"
                            + " it first to reuse the id); nothing of this append was stored";
                }
                record.put(op.id(), true);
            } else if (op instanceof JournalOp.Delete) {
                record.put(op.id(), false);
            }
        }
        overlay.putAll(record);
        return null;
    }
}
