// TunnelMQ web console: the throughput history of each queue and its charts (loaded before console.js, which
// calls remember() with each answer's figures and drawChart() to show them).
'use strict';

const HISTORY = 90; // samples kept per queue for the throughput charts (1.5 minutes at one per second)
const queueHistory = new Map(); // queue -> [{time, enqueued, completed, inRate, outRate}]

/** Adds a queue's figures of one answer to its history (once per answer time); returns the history. */
function remember(queue) {
  let samples = queueHistory.get(queue.name);
  if (!samples) {
    samples = [];
    queueHistory.set(queue.name, samples);
  }
  const last = samples[samples.length - 1];
  if (last && last.time === queue.time) return samples;
  let inRate = 0;
  let outRate = 0;
  if (last && queue.time > last.time) {
    const seconds = (queue.time - last.time) / 1000;
    // a total that went down means the queue was deleted and made again: no rate for that step
    inRate = Math.max(0, queue.enqueued - last.enqueued) / seconds;
    outRate = Math.max(0, queue.completed - last.completed) / seconds;
  }
  samples.push({time: queue.time, enqueued: queue.enqueued, completed: queue.completed, inRate, outRate});
  if (samples.length > HISTORY) samples.shift();
  return samples;
}

function drawChart(canvas, samples, axis) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  const rates = samples.slice(1);
  const max = Math.max(1, ...rates.map((s) => Math.max(s.inRate, s.outRate)));
  const pad = axis ? 34 : 1;
  const step = (width - pad - 2) / (HISTORY - 2);
  if (axis) {
    g.fillStyle = '#6a7383';
    g.font = '11px system-ui, sans-serif';
    g.fillText(formatRate(max), 2, 11);
    g.fillText('0', 2, height - 2);
    g.strokeStyle = '#e3e7ee';
    g.beginPath();
    g.moveTo(pad, height - 1.5);
    g.lineTo(width, height - 1.5);
    g.stroke();
  }
  const line = (key, color) => {
    g.strokeStyle = color;
    g.lineWidth = axis ? 2 : 1.5;
    g.beginPath();
    rates.forEach((s, i) => {
      const x = pad + (HISTORY - 1 - rates.length + i) * step;
      const y = height - 2 - (s[key] / max) * (height - 6);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  };
  line('inRate', '#2f6fde');
  line('outRate', '#1f9d6b');
}

function formatRate(r) {
  return (r >= 100 ? Math.round(r) : Math.round(r * 10) / 10) + '/s';
}
