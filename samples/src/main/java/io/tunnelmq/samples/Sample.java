package io.tunnelmq.samples;

import javax.naming.Context;
import java.io.PrintStream;
import java.util.List;

/** One sample program. Everything it needs comes from the JNDI context; everything it does is printed to out. */
interface Sample {

    /** One line for the list of samples: what it shows, and its arguments if it takes any. */
    String description();

    /**
     * Runs the sample and closes everything it opened, so the JVM can exit when {@code main} returns.
     *
     * @param jndi the names of jndi.properties
     * @param args the command-line arguments after the sample's name
     * @param out  where the sample says what it does
     * @throws Exception when the sample could not do what it shows: the program then exits with status 1
     */
    void run(Context jndi, List<String> args, PrintStream out) throws Exception;

    /** The optional message-count argument: the first argument, or {@code defaultCount} when there is none. */
    static int count(List<String> args, int defaultCount) {
        if (args.isEmpty()) {
            return defaultCount;
        }
        try {
            int count = Integer.parseInt(args.get(0));
            if (count > 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("the message count must be a whole number above 0, not '" + args.get(0)
                + "'");
    }
}
