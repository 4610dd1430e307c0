package io.tunnelmq.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class CsvTest {

    @Test
    void fieldsWithCommasQuotesAndNewlinesSurviveARoundTrip(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/out.csv");
        List<String> header = List.of("a", "b");
        Csv.append(file, header, List.of(List.of("1,5", "say \"hi\"")));
        Csv.append(file, header, List.of(List.of("line\nbreak", "")));

        List<List<String>> rows = Csv.parse(Files.readString(file));

        assertThat(rows).containsExactly(header, List.of("1,5", "say \"hi\""), List.of("line\nbreak", ""));
    }
}
