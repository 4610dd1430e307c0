package io.tunnelmq.server;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.FakeRecordLog;
import io.tunnelmq.server.store.RecordLog;
import io.tunnelmq.server.store.StoreCodec;
import io.tunnelmq.server.store.StoreVisitor;
import io.tunnelmq.server.store.StoredQueue;

import java.util.ArrayList;
import java.util.List;

/** Turns what a broker wrote to a {@link FakeRecordLog} into short readable lines for assertions. */
final class StoreOps {
    private StoreOps() {
    }

    /**
     * Each append as one line: {@code sync|lazy} then its ops, e.g. {@code "sync add orders m1"},
     * {@code "lazy count m1=2"}, {@code "sync del m1, add DLQ.orders m1"}; message ids stand for store ids.
     */
    static List<String> describe(List<FakeRecordLog.Append> appends, List<FakeRecordLog.Append> all) {
        List<String> lines = new ArrayList<>();
        for (FakeRecordLog.Append a : appends) {
            List<String> ops = new ArrayList<>();
            for (RecordLog.Op op : a.ops()) {
                if (op instanceof RecordLog.Add add) {
                    ops.add(describeAdd(add));
                } else if (op instanceof RecordLog.Delete d) {
                    ops.add("del " + nameOf(d.id(), all));
                } else if (op instanceof RecordLog.Annotate n) {
                    ops.add("count " + nameOf(n.id(), all) + "=" + n.annotation()[3]);
                }
            }
            lines.add((a.durable() ? "sync " : "lazy ") + String.join(", ", ops));
        }
        return lines;
    }

    private static String describeAdd(RecordLog.Add add) {
        StringBuilder out = new StringBuilder();
        StoreCodec.decode(add.id(), add.data(), null, new StoreVisitor() {
            @Override
            public void subscription(long id, DurableSubscription s) {
                out.append("subscribe ").append(s.name()).append(" to ").append(s.topic());
            }

            @Override
            public void message(long id, StoredQueue queue, WireMessage message, int deliveryCount) {
                out.append("add ").append(queue.isSubscription() ? "subscription" : queue.queueName()).append(' ')
                        .append(message.messageId());
            }

            @Override
            public void producer(long id, ProducerStamp last, long storedAtMillis) {
                out.append("producer ").append(last.sequence()).append(' ').append(last.producerId());
            }
        });
        return out.toString();
    }

    /** The message id (or subscription name) the record {@code id} was added with. */
    private static String nameOf(long id, List<FakeRecordLog.Append> all) {
        for (FakeRecordLog.Append a : all) {
            for (RecordLog.Op op : a.ops()) {
                if (op instanceof RecordLog.Add add && add.id() == id) {
                    String d = describeAdd(add);
                    return d.substring(d.lastIndexOf(' ') + 1);
                }
            }
        }
        return "#" + id;
    }
}
