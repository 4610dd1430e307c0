package io.tunnelmq.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.message.WireMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The frame codec on the hot path of every message: a Send (client to broker) and a Deliver (broker to client)
 * with a 1 KiB body, encoded into and decoded from a pooled direct buffer, as {@link FrameEncoder} and
 * {@link FrameDecoder} do inside the Netty pipeline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
    @Param({"1024"})
    public int bodySize;

    private Send send;
    private Deliver deliver;
    private ByteBuf out;
    private ByteBuf encodedSend;
    private ByteBuf encodedDeliver;

    @Setup
    public void setUp() {
        WireMessage message = BenchMessages.bytesMessage(bodySize, BenchMessages.loadToolProperties());
        send = new Send(1, 42, message);
        deliver = new Deliver(1, 7, 1234567, 1, 1_700_000_060_000L, message);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(2 * bodySize + 1024);
        encodedSend = PooledByteBufAllocator.DEFAULT.directBuffer(2 * bodySize + 1024);
        FrameEncoder.encode(send, encodedSend, Protocol.DEFAULT_MAX_FRAME_SIZE);
        encodedDeliver = PooledByteBufAllocator.DEFAULT.directBuffer(2 * bodySize + 1024);
        FrameEncoder.encode(deliver, encodedDeliver, Protocol.DEFAULT_MAX_FRAME_SIZE);
    }

    @TearDown
    public void tearDown() {
        out.release();
        encodedSend.release();
        encodedDeliver.release();
    }

    @Benchmark
    public int encodeSend() {
        out.clear();
        FrameEncoder.encode(send, out, Protocol.DEFAULT_MAX_FRAME_SIZE);
        return out.writerIndex();
    }

    @Benchmark
    public int encodeDeliver() {
        out.clear();
        FrameEncoder.encode(deliver, out, Protocol.DEFAULT_MAX_FRAME_SIZE);
        return out.writerIndex();
    }

    @Benchmark
    public Frame decodeSend() {
        encodedSend.readerIndex(0);
        return FrameDecoder.decode(encodedSend, Protocol.DEFAULT_MAX_FRAME_SIZE);
    }

    @Benchmark
    public Frame decodeDeliver() {
        encodedDeliver.readerIndex(0);
        return FrameDecoder.decode(encodedDeliver, Protocol.DEFAULT_MAX_FRAME_SIZE);
    }
}
