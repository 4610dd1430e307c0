package io.tunnelmq.server.management;

/**
 * What a move, copy or dead-letter replay did ({@link Management#moveMessages}, {@link Management#replay}).
 *
 * @param moved      messages now on their targets
 * @param lockedLeft matching messages that were locked to consumers and so left where they are (a consumer is
 *                   working on them; run again once they are settled or abandoned)
 */
public record MoveResult(int moved, int lockedLeft) {
}
