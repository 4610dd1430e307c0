package io.tunnelmq.server.selector;

/** The selector's value rules: numeric promotion, comparisons of like types, three-valued logic. */
final class Values {
    private Values() {
    }

    /** Property values as the evaluator sees them: integral types as Long, Float/Double as Double. */
    static Object normalise(Object value) {
        if (value instanceof Long || value instanceof Double || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof Character c) {
            return String.valueOf(c);
        }
        return null; // byte[] and anything else cannot be selected on
    }

    static Boolean not(Object value) {
        return value instanceof Boolean b ? !b : null;
    }

    static Boolean and(Object left, Object right) {
        Boolean l = asBoolean(left);
        Boolean r = asBoolean(right);
        if (Boolean.FALSE.equals(l) || Boolean.FALSE.equals(r)) {
            return Boolean.FALSE;
        }
        return l == null || r == null ? null : Boolean.TRUE;
    }

    static Boolean or(Object left, Object right) {
        Boolean l = asBoolean(left);
        Boolean r = asBoolean(right);
        if (Boolean.TRUE.equals(l) || Boolean.TRUE.equals(r)) {
            return Boolean.TRUE;
        }
        return l == null || r == null ? null : Boolean.FALSE;
    }

    /** A non-boolean where a condition is expected is UNKNOWN. */
    static Boolean asBoolean(Object value) {
        return value instanceof Boolean b ? b : null;
    }

    /**
     * Compares two values: NULL on either side gives UNKNOWN; values of unlike types give FALSE (the spec's rule);
     * strings and booleans support only = and &lt;&gt; (other operators give UNKNOWN).
     */
    static Boolean compare(String operator, Object left, Object right) {
        if (left == null || right == null) {
            return null;
        }
        if (left instanceof Number l && right instanceof Number r) {
            int c = l instanceof Long a && r instanceof Long b ? Long.compare(a, b)
                    : Double.compare(l.doubleValue(), r.doubleValue());
            if (Double.isNaN(l.doubleValue()) || Double.isNaN(r.doubleValue())) {
                return operator.equals("<>");
            }
            return switch (operator) {
                case "=" -> c == 0;
                case "<>" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> throw new IllegalArgumentException(operator);
            };
        }
        boolean likeTypes = (left instanceof String && right instanceof String)
                || (left instanceof Boolean && right instanceof Boolean);
        if (!likeTypes) {
            return Boolean.FALSE;
        }
        return switch (operator) {
            case "=" -> left.equals(right);
            case "<>" -> !left.equals(right);
            default -> null;
        };
    }

    /** Arithmetic with Java's numeric promotion; NULL or a non-number gives UNKNOWN, as does integer division by 0. */
    static Object arithmetic(char operator, Object left, Object right) {
        if (!(left instanceof Number l) || !(right instanceof Number r)) {
            return null;
        }
        if (l instanceof Long a && r instanceof Long b) {
            return switch (operator) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                case '/' -> b == 0 ? null : a / b;
                default -> throw new IllegalArgumentException(String.valueOf(operator));
            };
        }
        double a = l.doubleValue();
        double b = r.doubleValue();
        return switch (operator) {
            case '+' -> a + b;
            case '-' -> a - b;
            case '*' -> a * b;
            case '/' -> a / b;
            default -> throw new IllegalArgumentException(String.valueOf(operator));
        };
    }

    static Object negate(Object value) {
        if (value instanceof Long l) {
            return -l;
        }
        if (value instanceof Double d) {
            return -d;
        }
        return null;
    }
}
