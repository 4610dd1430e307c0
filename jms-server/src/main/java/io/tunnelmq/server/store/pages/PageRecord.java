package io.tunnelmq.server.store.pages;

import java.util.zip.CRC32C;

/**
 * The byte layout of a record in a page segment (big-endian), records back to back from offset 0:
 * <pre>
 *   0  int32  length L of the encoded message
 *   4  int32  CRC32C over the length field and the encoded message
 *   8  L bytes: the message as {@code StoreCodec.encodeMessage} wrote it
 * </pre>
 * Segments have no header: they never outlive the broker run that wrote them.
 */
final class PageRecord {
    static final int HEADER_BYTES = 8;

    private PageRecord() {
    }

    static int crc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}
