package io.tunnelmq.server.selector;

import io.tunnelmq.server.selector.Expression.Type;
import io.tunnelmq.server.selector.Token.Kind;

import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recursive-descent parser for the JMS message selector grammar. Precedence, lowest first: OR, AND, NOT,
 * comparisons (=, &lt;&gt;, &lt;, &lt;=, &gt;, &gt;=, [NOT] BETWEEN, [NOT] IN, [NOT] LIKE, IS [NOT] NULL),
 * binary + -, * /, unary + -. Literal operands of the wrong type (a string in arithmetic, a number as a
 * condition) are refused here; identifiers can hold anything and are checked when evaluated.
 */
final class SelectorParser {
    /** Parentheses, NOTs and signs inside each other: the parser recurses about ten frames for each. */
    static final int MAX_NESTING = 200;
    /** Levels of the expression tree: evaluation recurses that deep, on a broker event loop. */
    static final int MAX_DEPTH = 2_000;

    private final String source;
    private final List<Token> tokens;
    private int index;
    /** Parentheses, NOTs and signs the parser is inside of. */
    private int nesting;
    /** The depth of every node built so far (its evaluation recurses that deep). */
    private final Map<Expression, Integer> depths = new IdentityHashMap<>();

    private SelectorParser(String source) {
        this.source = source;
        this.tokens = SelectorLexer.tokenize(source);
    }

    static Expression parse(String source) {
        SelectorParser parser = new SelectorParser(source);
        Expression expression = parser.condition(parser.or(), parser.tokens.get(0));
        Token rest = parser.peek();
        if (rest.kind() != Kind.END) {
            throw parser.error(rest, "unexpected " + rest.describe() + "; expected AND, OR or the end of the selector");
        }
        return expression;
    }

    private Expression or() {
        Expression left = and();
        while (peek().isKeyword("OR")) {
            Token op = next();
            Expression right = and();
            left = node(op, new Nodes.Or(condition(left, op), condition(right, op)), left, right);
        }
        return left;
    }

    private Expression and() {
        Expression left = not();
        while (peek().isKeyword("AND")) {
            Token op = next();
            Expression right = not();
            left = node(op, new Nodes.And(condition(left, op), condition(right, op)), left, right);
        }
        return left;
    }

    private Expression not() {
        if (peek().isKeyword("NOT")) {
            Token op = descend(next());
            Expression operand = not();
            nesting--;
            return node(op, new Nodes.Not(condition(operand, op)), operand);
        }
        return predicate();
    }

    private Expression predicate() {
        Expression left = additive();
        Token t = peek();
        if (t.kind() == Kind.OPERATOR && isComparison(t.text())) {
            next();
            Expression right = additive();
            if (!t.text().equals("=") && !t.text().equals("<>") && (!isOrderable(left) || !isOrderable(right))) {
                throw error(t, "'" + t.text() + "' compares numbers only; strings and booleans support only = and <>");
            }
            if (left.type() != Type.ANY && right.type() != Type.ANY && left.type() != right.type()) {
                throw error(t, "'" + t.text() + "' cannot compare a " + typeName(left) + " with a "
                        + typeName(right));
            }
            return node(t, new Nodes.Comparison(t.text(), left, right), left, right);
        }
        boolean negated = false;
        if (t.isKeyword("NOT")) {
            Token after = tokens.get(index + 1);
            if (!after.isKeyword("BETWEEN") && !after.isKeyword("IN") && !after.isKeyword("LIKE")) {
                throw error(after, "expected BETWEEN, IN or LIKE after NOT, found " + after.describe());
            }
            next();
            negated = true;
            t = peek();
        }
        if (t.isKeyword("BETWEEN")) {
            next();
            numeric(left, t);
            Expression low = numeric(additive(), t);
            expectKeyword("AND", "BETWEEN's lower and upper bound");
            Expression high = numeric(additive(), t);
            return node(t, new Nodes.Between(left, low, high, negated), left, low, high);
        }
        if (t.isKeyword("IN")) {
            next();
            requireStringable(left, t, "IN");
            return node(t, new Nodes.In(left, stringList(), negated), left);
        }
        if (t.isKeyword("LIKE")) {
            next();
            requireStringable(left, t, "LIKE");
            return node(t, new Nodes.Like(left, likePattern(), negated), left);
        }
        if (t.isKeyword("IS")) {
            next();
            boolean isNot = false;
            if (peek().isKeyword("NOT")) {
                next();
                isNot = true;
            }
            expectKeyword("NULL", "IS" + (isNot ? " NOT" : ""));
            return node(t, new Nodes.IsNull(left, isNot), left);
        }
        return left;
    }

    private Expression additive() {
        Expression left = multiplicative();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token op = next();
            Expression right = multiplicative();
            left = node(op, new Nodes.Arithmetic(op.text().charAt(0), numeric(left, op), numeric(right, op)), left,
                    right);
        }
        return left;
    }

    private Expression multiplicative() {
        Expression left = unary();
        while (peek().isOperator("*") || peek().isOperator("/")) {
            Token op = next();
            Expression right = unary();
            left = node(op, new Nodes.Arithmetic(op.text().charAt(0), numeric(left, op), numeric(right, op)), left,
                    right);
        }
        return left;
    }

    private Expression unary() {
        Token t = peek();
        if (t.isOperator("-")) {
            next();
            if (peek().kind() == Kind.EXACT_NUMBER) {
                // parsed with its sign so that -9223372036854775808 fits a long
                return exactNumber(next(), "-");
            }
            descend(t);
            Expression operand = unary();
            nesting--;
            return node(t, new Nodes.Negate(numeric(operand, t)), operand);
        }
        if (t.isOperator("+")) {
            next();
            descend(t);
            Expression operand = unary();
            nesting--;
            return node(t, new Nodes.Plus(numeric(operand, t)), operand);
        }
        return primary();
    }

    private Expression primary() {
        Token t = next();
        switch (t.kind()) {
            case STRING:
                return new Nodes.Literal(t.text(), Type.STRING);
            case EXACT_NUMBER:
                return exactNumber(t, "");
            case APPROXIMATE_NUMBER:
                double d = Double.parseDouble(t.text());
                if (Double.isInfinite(d)) {
                    throw error(t, "number " + t.text() + " is out of the range of a double");
                }
                return new Nodes.Literal(d, Type.NUMERIC);
            case IDENTIFIER:
                return new Nodes.Identifier(t.text());
            case LEFT_PAREN:
                descend(t);
                Expression inner = or();
                nesting--;
                Token close = next();
                if (close.kind() != Kind.RIGHT_PAREN) {
                    throw error(close, "expected ')' to close the '(' at position " + t.position() + ", found "
                            + close.describe());
                }
                return inner;
            case KEYWORD:
                if (t.text().equals("TRUE") || t.text().equals("FALSE")) {
                    return new Nodes.Literal(t.text().equals("TRUE"), Type.BOOLEAN);
                }
                if (t.text().equals("NULL")) {
                    throw error(t, "NULL is not a value: test for it with IS NULL or IS NOT NULL");
                }
                throw error(t, "expected an operand, found keyword " + t.text());
            default:
                throw error(t, "expected an operand, found " + t.describe());
        }
    }

    private Expression exactNumber(Token t, String sign) {
        try {
            return new Nodes.Literal(Long.parseLong(sign + t.text()), Type.NUMERIC);
        } catch (NumberFormatException e) {
            throw error(t, "number " + sign + t.text() + " is out of the range of a long");
        }
    }

    private Set<String> stringList() {
        Token open = next();
        if (open.kind() != Kind.LEFT_PAREN) {
            throw error(open, "expected '(' to start the IN list, found " + open.describe());
        }
        Set<String> values = new LinkedHashSet<>();
        while (true) {
            Token value = next();
            if (value.kind() != Kind.STRING) {
                throw error(value, "expected a string literal in the IN list, found " + value.describe());
            }
            values.add(value.text());
            Token separator = next();
            if (separator.kind() == Kind.RIGHT_PAREN) {
                return Set.copyOf(values);
            }
            if (separator.kind() != Kind.COMMA) {
                throw error(separator, "expected ',' or ')' in the IN list, found " + separator.describe());
            }
        }
    }

    private LikePattern likePattern() {
        Token pattern = next();
        if (pattern.kind() != Kind.STRING) {
            throw error(pattern, "expected a string literal pattern after LIKE, found " + pattern.describe());
        }
        Character escape = null;
        if (peek().isKeyword("ESCAPE")) {
            next();
            Token e = next();
            if (e.kind() != Kind.STRING || e.text().length() != 1) {
                throw error(e, "expected a one-character string literal after ESCAPE, found " + e.describe());
            }
            escape = e.text().charAt(0);
        }
        try {
            return LikePattern.compile(pattern.text(), escape);
        } catch (IllegalArgumentException e) {
            throw error(pattern, "LIKE pattern '" + pattern.text() + "' ends with its escape character '" + escape + "'");
        }
    }

    private Expression condition(Expression e, Token at) {
        if (e.type() == Type.NUMERIC || e.type() == Type.STRING) {
            throw error(at, "expected a condition but found a " + e.type().name().toLowerCase() + " expression");
        }
        return e;
    }

    private Expression numeric(Expression e, Token op) {
        if (e.type() == Type.BOOLEAN || e.type() == Type.STRING) {
            throw error(op, "'" + op.text() + "' needs numbers, not a " + typeName(e) + " expression");
        }
        return e;
    }

    private static String typeName(Expression e) {
        return e.type().name().toLowerCase();
    }

    private void requireStringable(Expression e, Token op, String what) {
        if (!(e instanceof Nodes.Identifier)) {
            throw error(op, what + " needs an identifier on its left");
        }
    }

    private void expectKeyword(String keyword, String after) {
        Token t = next();
        if (!t.isKeyword(keyword)) {
            throw error(t, "expected " + keyword + " after " + after + ", found " + t.describe());
        }
    }

    private static boolean isOrderable(Expression e) {
        return e.type() == Type.NUMERIC || e.type() == Type.ANY;
    }

    private static boolean isComparison(String op) {
        return switch (op) {
            case "=", "<>", "<", "<=", ">", ">=" -> true;
            default -> false;
        };
    }

    /** Counts one more level of recursion (a parenthesis, NOT or sign), refusing too many before the stack runs out. */
    private Token descend(Token at) {
        if (++nesting > MAX_NESTING) {
            throw error(at, "the selector nests too deeply (more than " + MAX_NESTING + " parentheses, NOTs and "
                    + "signs inside each other); simplify it");
        }
        return at;
    }

    /** Records how deep the node's tree is (chains of AND, OR and arithmetic grow it without recursion). */
    private Expression node(Token at, Expression node, Expression... children) {
        int depth = 1;
        for (Expression child : children) {
            depth = Math.max(depth, 1 + depths.getOrDefault(child, 0));
        }
        if (depth > MAX_DEPTH) {
            throw error(at, "the selector nests too deeply (more than " + MAX_DEPTH + " levels of operators); "
                    + "write long alternatives of one property as IN ('a', 'b', ...)");
        }
        depths.put(node, depth);
        return node;
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.END) {
            index++;
        }
        return t;
    }

    private SelectorException error(Token at, String reason) {
        if (at.kind() == Kind.END && reason.startsWith("expected an operand")) {
            reason = "expected an operand";
        }
        return new SelectorException(source, at.position(), reason);
    }
}
