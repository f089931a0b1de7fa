// Keyframes (training/keyframe.h) as bytes: inside the saved-run file (io/run_file.h), or alone
// (keyframeToBytes) for a caller that keeps keyframes out of memory. Little-endian
// (io/binary_stream.h), in the field order of Keyframe:
//   i64 step, i64 epoch, text architecture, floats parameters, u32 batch-norm layers and per
//   layer floats running mean, floats running var, text optimizer kind, i64 optimizer steps,
//   u32 buffers and per buffer floats, text shuffle state, u32 dropout layers and per layer text
//   training state, text probe state, u32 samples and i32 order, i64 position, f64 loss sum,
//   i64 loss count, u32 layers and f64 update ratios, u32 layers and per layer 5 x (f64 origin,
//   f64 width, i64 first, i64 last), f64 first loss, u8 diverged, text divergence, f64 train
//   seconds, f64 stats seconds.
// where "floats" is a u32 count and that many float32, "text" a u32 byte count and the bytes.
// Reading checks every count before allocating; it does not check that the keyframe fits a
// network: Trainer::restore() does.
#pragma once

#include <string>

#include "io/binary_stream.h"
#include "training/keyframe.h"

namespace layerscope {

void writeKeyframe(BinaryWriter& out, const Keyframe& keyframe);
// Throws InputError naming the source, in.context() and the field at fault.
Keyframe readKeyframe(BinaryReader& in);

// One keyframe alone: "LSKF", u32 format version 1, the keyframe. `source` names the bytes in
// messages.
std::string keyframeToBytes(const Keyframe& keyframe);
Keyframe keyframeFromBytes(const std::string& bytes, const std::string& source);

}  // namespace layerscope
