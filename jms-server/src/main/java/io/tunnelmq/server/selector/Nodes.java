package io.tunnelmq.server.selector;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.Set;
import java.util.regex.Pattern;

/** The node types of a compiled selector. */
final class Nodes {
    private Nodes() {
    }

    record Literal(Object value, Type type) implements Expression {
        @Override
        public Object evaluate(WireMessage message) {
            return value;
        }
    }

    /** A header field or property; an absent property is NULL. */
    record Identifier(String name) implements Expression {
        @Override
        public Object evaluate(WireMessage message) {
            return switch (name) {
                case "JMSDeliveryMode" -> message.persistent() ? "PERSISTENT" : "NON_PERSISTENT";
                case "JMSPriority" -> (long) message.priority();
                case "JMSMessageID" -> message.messageId();
                case "JMSTimestamp" -> message.timestamp();
                case "JMSCorrelationID" -> message.correlationId();
                case "JMSType" -> message.type();
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
        public Object evaluate(WireMessage message) {
            return Values.not(operand.evaluate(message));
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    record And(Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(WireMessage message) {
            Object l = left.evaluate(message);
            // FALSE AND anything is FALSE: no need to look further
            return Boolean.FALSE.equals(l) ? Boolean.FALSE : Values.and(l, right.evaluate(message));
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    record Or(Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(WireMessage message) {
            Object l = left.evaluate(message);
            return Boolean.TRUE.equals(l) ? Boolean.TRUE : Values.or(l, right.evaluate(message));
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    record Comparison(String operator, Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(WireMessage message) {
            return Values.compare(operator, left.evaluate(message), right.evaluate(message));
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    record Arithmetic(char operator, Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(WireMessage message) {
            return Values.arithmetic(operator, left.evaluate(message), right.evaluate(message));
        }

        @Override
        public Type type() {
            return Type.NUMERIC;
        }
    }

    record Negate(Expression operand) implements Expression {
        @Override
        public Object evaluate(WireMessage message) {
            return Values.negate(operand.evaluate(message));
        }

        @Override
        public Type type() {
            return Type.NUMERIC;
        }
    }

    /** Unary plus: the operand must be numeric. */
    record Plus(Expression operand) implements Expression {
        @Override
        public Object evaluate(WireMessage message) {
            Object value = operand.evaluate(message);
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
        public Object evaluate(WireMessage message) {
            Object v = value.evaluate(message);
            Boolean result = Values.and(Values.compare(">=", v, low.evaluate(message)),
                    Values.compare("<=", v, high.evaluate(message)));
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
        public Object evaluate(WireMessage message) {
            if (!(value.evaluate(message) instanceof String s)) {
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
    record Like(Expression value, Pattern pattern, boolean negated) implements Expression {
        @Override
        public Object evaluate(WireMessage message) {
            if (!(value.evaluate(message) instanceof String s)) {
                return null;
            }
            return pattern.matcher(s).matches() != negated;
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }

    record IsNull(Expression value, boolean negated) implements Expression {
        @Override
        public Object evaluate(WireMessage message) {
            return (value.evaluate(message) == null) != negated;
        }

        @Override
        public Type type() {
            return Type.BOOLEAN;
        }
    }
}
