import protobuf from 'protobufjs';

/**
 * io.prometheus.client's messages, written here from the field numbers of client_model's
 * metrics.proto, so protobuf output is checked by a decoder that shares nothing with our
 * encoder (protobufjs). Only what the exporter can emit; exemplars and native histograms left out.
 */
const SCHEMA = `
syntax = "proto2";
package io.prometheus.client;
message LabelPair { optional string name = 1; optional string value = 2; }
enum MetricType { COUNTER = 0; GAUGE = 1; SUMMARY = 2; UNTYPED = 3; HISTOGRAM = 4; GAUGE_HISTOGRAM = 5; }
message Gauge { optional double value = 1; }
message Counter { optional double value = 1; }
message Quantile { optional double quantile = 1; optional double value = 2; }
message Summary { optional uint64 sample_count = 1; optional double sample_sum = 2; repeated Quantile quantile = 3; }
message Untyped { optional double value = 1; }
message Bucket { optional uint64 cumulative_count = 1; optional double upper_bound = 2; }
message Histogram { optional uint64 sample_count = 1; optional double sample_sum = 2; repeated Bucket bucket = 3; }
message Metric {
  repeated LabelPair label = 1;
  optional Gauge gauge = 2;
  optional Counter counter = 3;
  optional Summary summary = 4;
  optional Untyped untyped = 5;
  optional Histogram histogram = 7;
  optional int64 timestamp_ms = 6;
}
message MetricFamily { optional string name = 1; optional string help = 2; optional MetricType type = 3; repeated Metric metric = 4; optional string unit = 5; }
`;

const MetricFamily = protobuf.parse(SCHEMA).root.lookupType('io.prometheus.client.MetricFamily');

export interface DecodedFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'SUMMARY' | 'UNTYPED' | 'HISTOGRAM' | 'GAUGE_HISTOGRAM';
  metric: {
    label?: { name: string; value: string }[];
    gauge?: { value: number };
    counter?: { value: number };
    untyped?: { value: number };
    summary?: { sampleCount: number; sampleSum: number; quantile?: { quantile: number; value: number }[] };
    histogram?: { sampleCount: number; sampleSum: number; bucket?: { cumulativeCount: number; upperBound: number }[] };
  }[];
}

/** Decodes a whole delimited body (varint length, MetricFamily, repeated) with protobufjs. */
export function decodeDelimited(body: Uint8Array): DecodedFamily[] {
  const reader = protobuf.Reader.create(body);
  const out: DecodedFamily[] = [];
  while (reader.pos < reader.len) {
    const msg = MetricFamily.decodeDelimited(reader);
    out.push(MetricFamily.toObject(msg, { enums: String, longs: Number, defaults: false }) as DecodedFamily);
  }
  return out;
}
