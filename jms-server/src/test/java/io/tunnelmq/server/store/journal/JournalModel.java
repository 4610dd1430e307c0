package io.tunnelmq.server.store.journal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What recovery should hand back after a list of records: the journal's rules, applied naively. */
final class JournalModel {
    private final Map<Long, String[]> live = new LinkedHashMap<>();

    void apply(List<JournalOp> ops) {
        for (JournalOp op : ops) {
            if (op instanceof JournalOp.Add add) {
                live.remove(add.id());
                live.put(add.id(), new String[] {text(add.data()), null});
            } else if (op instanceof JournalOp.Annotate annotate) {
                String[] record = live.get(annotate.id());
                if (record != null) {
                    record[1] = text(annotate.annotation());
                }
            } else {
                live.remove(op.id());
            }
        }
    }

    static JournalModel after(List<List<JournalOp>> records) {
        JournalModel model = new JournalModel();
        records.forEach(model::apply);
        return model;
    }

    boolean isLive(long id) {
        return live.containsKey(id);
    }

    /** In the format of {@link JournalFiles.Recovered#describe()}. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        live.forEach((id, r) -> out.add(id + "=" + r[0] + (r[1] == null ? "" : "/" + r[1])));
        return out;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
