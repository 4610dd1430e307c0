package io.tunnelmq.server.selector;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.Set;

/** The node types of a compiled selector. */
final class Nodes {
    private Nodes() {
    }

    record Literal(Object value, Type type) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            return value;
        }
    }

    /**
     * A header field or property; an absent property is NULL. JMSXDeliveryCount is delivery state, not part of the
     * message: it is the count of the delivery being decided.
     */
    record Identifier(String name) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            return switch (name) {
                case "JMSDeliveryMode" -> message.persistent() ? "PERSISTENT" : "NON_PERSISTENT";
                case "JMSPriority" -> (long) message.priority();
                case "JMSMessageID" -> message.messageId();
                case "JMSTimestamp" -> message.timestamp();
                case "JMSCorrelationID" -> message.correlationId();
                case "JMSType" -> message.type();
                case "JMSXDeliveryCount" -> (long) deliveryCount;
                default -> Values.normalise(message.properties().get(name));
            };
        }

        @Override
        public Type type() {
            return Type.ANY;
        }
    }

    record Not(Expression operand) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            return Values.not(operand.evaluate(message, deliveryCount));
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    record And(Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            Object l = left.evaluate(message, deliveryCount);
            // FALSE AND anything is FALSE: no need to look further
            return Boolean.FALSE.equals(l) ? Boolean.FALSE : Values.and(l, right.evaluate(message, deliveryCount));
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    record Or(Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            Object l = left.evaluate(message, deliveryCount);
            return Boolean.TRUE.equals(l) ? Boolean.TRUE : Values.or(l, right.evaluate(message, deliveryCount));
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    record Comparison(String operator, Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            return Values.compare(operator, left.evaluate(message, deliveryCount), right.evaluate(message, deliveryCount));
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    record Arithmetic(char operator, Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            return Values.arithmetic(operator, left.evaluate(message, deliveryCount), right.evaluate(message, deliveryCount));
        }

        @Override
        public Type type() {
            return Type.NUMERIC;
        }
    }

    record Negate(Expression operand) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            return Values.negate(operand.evaluate(message, deliveryCount));
        }

        @Override
        public Type type() {
            return Type.NUMERIC;
        }
    }

    /** Unary plus: the operand must be numeric. */
    record Plus(Expression operand) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            Object value = operand.evaluate(message, deliveryCount);
            return value instanceof Number ? value : null;
        }

        @Override
        public Type type() {
            return Type.NUMERIC;
        }
    }

    /** {@code value [NOT] BETWEEN low AND high}, i.e. {@code value >= low AND value <= high} (negated for NOT). */
    record Between(Expression value, Expression low, Expression high, boolean negated) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            Object v = value.evaluate(message, deliveryCount);
            Boolean result = Values.and(Values.compare(">=", v, low.evaluate(message, deliveryCount)),
                    Values.compare("<=", v, high.evaluate(message, deliveryCount)));
            return negated ? Values.not(result) : result;
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    /** {@code identifier [NOT] IN ('a', 'b')}: NULL or a non-string value gives UNKNOWN. */
    record In(Expression value, Set<String> strings, boolean negated) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            if (!(value.evaluate(message, deliveryCount) instanceof String s)) {
                return null;
            }
            return strings.contains(s) != negated;
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    /** {@code identifier [NOT] LIKE pattern [ESCAPE c]}: NULL or a non-string value gives UNKNOWN. */
    record Like(Expression value, LikePattern pattern, boolean negated) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            if (!(value.evaluate(message, deliveryCount) instanceof String s)) {
                return null;
            }
            Boolean matches = pattern.matches(s);
            return matches == null ? null : matches != negated;
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    record IsNull(Expression value, boolean negated) implements Expression {
        @Override
        public Object evaluate(WireMessage message, int deliveryCount) {
            return (value.evaluate(message, deliveryCount) == null) != negated;
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }
}
