#include "format/model.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "tflite_generated.h"

namespace mote {
namespace format {
namespace {

// The range a zero point must lie in for a dtype.
bool ZeroPointInRange(DType type, int64_t zp) {
  switch (type) {
    case DType::kInt8:
      return zp >= -128 && zp <= 127;
    case DType::kUInt8:
      return zp >= 0 && zp <= 255;
    case DType::kInt16:
      return zp >= -32768 && zp <= 32767;
    default:
      return zp >= std::numeric_limits<int32_t>::min() && zp <= std::numeric_limits<int32_t>::max();
  }
}

// 8-byte values are read with memcpy: flatbuffers 2.0 verifies a vector's
// length prefix (4-byte aligned) but not the alignment of 8-byte elements,
// checks 8-byte table fields only relative to the buffer's start, and models
// need only be 4-byte aligned. A misaligned int64 load is undefined behavior
// (and faults on some cores); valid models must still load at any 4-byte
// aligned address.
int64_t LoadInt64(const uint8_t* p) {
  int64_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}
uint64_t BufferField(const tflite::Buffer& buffer, flatbuffers::voffset_t field) {
  const uint8_t* p = reinterpret_cast<const flatbuffers::Table&>(buffer).GetAddressOf(field);
  return p != nullptr ? static_cast<uint64_t>(LoadInt64(p)) : 0;
}

const char* TensorName(const tflite::Tensor& t) {
  return t.name() != nullptr ? t.name()->c_str() : "";
}

}  // namespace

Status VerifyModel(const void* data, size_t size, const tflite::Model** model) {
  *model = nullptr;
  if (data == nullptr) return Status::Error(StatusCode::kInvalidArgument, "model: null pointer");
  if (reinterpret_cast<uintptr_t>(data) % kModelAlignment != 0) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "model: bytes must start at a %u-byte aligned address",
                         static_cast<unsigned>(kModelAlignment));
  }
  if (size < 8) {
    return Status::Error(StatusCode::kInvalidModel, "model: %u bytes is too short for a .tflite file",
                         static_cast<unsigned>(size));
  }
  if (size >= static_cast<size_t>(FLATBUFFERS_MAX_BUFFER_SIZE)) {
    return Status::Error(StatusCode::kInvalidModel, "model: %lu bytes exceeds the 2 GB format limit",
                         static_cast<unsigned long>(size));
  }
  const uint8_t* bytes = static_cast<const uint8_t*>(data);
  if (!tflite::ModelBufferHasIdentifier(bytes)) {
    return Status::Error(StatusCode::kInvalidModel,
                         "model: file identifier is not 'TFL3' (bytes 4..7): not a .tflite model");
  }
  const char* why = kCheckStructure(bytes, size);
  if (why != nullptr) return Status::Error(StatusCode::kInvalidModel, "model: %s", why);
  const tflite::Model* m = tflite::GetModel(bytes);
  if (m->version() != 3) {
    return Status::Error(StatusCode::kUnsupported, "model: schema version %u, mote reads version 3",
                         static_cast<unsigned>(m->version()));
  }
  if (m->subgraphs() == nullptr || m->subgraphs()->size() == 0) {
    return Status::Error(StatusCode::kInvalidModel, "model: has no subgraphs");
  }
  if (m->buffers() == nullptr) return Status::Error(StatusCode::kInvalidModel, "model: has no buffers");
  if (m->operator_codes() == nullptr) {
    return Status::Error(StatusCode::kInvalidModel, "model: has no operator_codes");
  }
  const tflite::SubGraph* sg = m->subgraphs()->Get(0);
  if (sg->tensors() == nullptr || sg->inputs() == nullptr || sg->outputs() == nullptr ||
      sg->operators() == nullptr) {
    return Status::Error(StatusCode::kInvalidModel,
                         "subgraph 0: tensors, inputs, outputs or operators missing");
  }
  if (sg->tensors()->size() > kMaxTensors) {
    return Status::Error(StatusCode::kUnsupported, "subgraph 0: %u tensors, mote allows %u",
                         sg->tensors()->size(), static_cast<unsigned>(kMaxTensors));
  }
  if (sg->operators()->size() > kMaxOperators) {
    return Status::Error(StatusCode::kUnsupported, "subgraph 0: %u operators, mote allows %u",
                         sg->operators()->size(), static_cast<unsigned>(kMaxOperators));
  }
  *model = m;
  return Status::Ok();
}

Status ReadTensor(const tflite::Model& model, const tflite::SubGraph& sg, int index, Tensor* t) {
  const tflite::Tensor* ft = sg.tensors()->Get(index);
  const char* name = TensorName(*ft);
  *t = Tensor{};
  t->name = name;
  t->arena_offset = -1;
  t->alias_of = -1;
  t->first_use = -1;
  t->last_use = -1;

  const int8_t raw_type = static_cast<int8_t>(ft->type());
  t->type = static_cast<DType>(raw_type);
  if (raw_type < 0 || DTypeSize(t->type) == 0) {
    return Status::Error(StatusCode::kUnsupported, "tensor %d ('%s'): dtype %d is not supported",
                         index, name, raw_type);
  }
  if (ft->sparsity() != nullptr) {
    return Status::Error(StatusCode::kUnsupported, "tensor %d ('%s'): sparse tensors are not supported",
                         index, name);
  }
  if (ft->external_buffer() != 0) {
    return Status::Error(StatusCode::kUnsupported,
                         "tensor %d ('%s'): external_buffer %u (weights outside the model file) is "
                         "not supported",
                         index, name, ft->external_buffer());
  }

  // Shape: rank, non-negative dims, overflow-checked byte size.
  static const int32_t kScalarDims[1] = {1};
  const flatbuffers::Vector<int32_t>* shape = ft->shape();
  const uint32_t rank = shape != nullptr ? shape->size() : 0;
  if (rank > static_cast<uint32_t>(kMaxRank)) {
    return Status::Error(StatusCode::kUnsupported, "tensor %d ('%s'): rank %u exceeds %d", index, name,
                         rank, kMaxRank);
  }
  t->rank = static_cast<uint8_t>(rank);
  t->dims = rank > 0 ? shape->data() : kScalarDims;
  int64_t elements = 1;
  for (uint32_t d = 0; d < rank; ++d) {
    const int32_t dim = shape->Get(d);
    if (dim < 0) {
      return Status::Error(StatusCode::kUnsupported,
                           "tensor %d ('%s'): dimension %u is %d (dynamic shapes are not supported)",
                           index, name, d, dim);
    }
    elements *= dim;
    if (elements > std::numeric_limits<int32_t>::max()) {
      return Status::Error(StatusCode::kInvalidModel, "tensor %d ('%s'): element count overflows",
                           index, name);
    }
  }
  const int64_t bytes = elements * static_cast<int64_t>(DTypeSize(t->type));
  if (bytes > std::numeric_limits<int32_t>::max()) {
    return Status::Error(StatusCode::kInvalidModel, "tensor %d ('%s'): %lld bytes overflows",
                         index, name, static_cast<long long>(bytes));
  }
  t->bytes = static_cast<int32_t>(bytes);

  // Data: constant when its buffer holds bytes.
  const uint32_t buffer_index = ft->buffer();
  if (buffer_index >= model.buffers()->size()) {
    return Status::Error(StatusCode::kInvalidModel, "tensor %d ('%s'): buffer %u out of range (%u buffers)",
                         index, name, buffer_index, model.buffers()->size());
  }
  const tflite::Buffer* buffer = model.buffers()->Get(buffer_index);
  // Buffer.offset > 1 places the data after the flatbuffer (models > 2 GB);
  // 0 and 1 (the converter's placeholder) mean "use `data`", as in TFLite.
  if (buffer != nullptr && BufferField(*buffer, tflite::Buffer::VT_OFFSET) > 1) {
    return Status::Error(StatusCode::kUnsupported,
                         "tensor %d ('%s'): buffer %u stores its data outside the flatbuffer "
                         "(offset %llu, size %llu)",
                         index, name, buffer_index,
                         static_cast<unsigned long long>(BufferField(*buffer, tflite::Buffer::VT_OFFSET)),
                         static_cast<unsigned long long>(BufferField(*buffer, tflite::Buffer::VT_SIZE)));
  }
  const flatbuffers::Vector<uint8_t>* data = buffer != nullptr ? buffer->data() : nullptr;
  if (data != nullptr && data->size() > 0) {
    if (static_cast<int64_t>(data->size()) != bytes) {
      return Status::Error(StatusCode::kInvalidModel,
                           "tensor %d ('%s'): buffer %u holds %u bytes, shape and dtype need %lld",
                           index, name, buffer_index, data->size(), static_cast<long long>(bytes));
    }
    const size_t align = DTypeSize(t->type);
    if (reinterpret_cast<uintptr_t>(data->data()) % align != 0) {
      return Status::Error(StatusCode::kInvalidModel,
                           "tensor %d ('%s'): buffer %u data is not %u-byte aligned", index, name,
                           buffer_index, static_cast<unsigned>(align));
    }
    if (ft->is_variable()) {
      return Status::Error(StatusCode::kUnsupported,
                           "tensor %d ('%s'): variable tensor with initial data is not supported",
                           index, name);
    }
    t->data = const_cast<uint8_t*>(data->data());
    t->flags |= kTensorConstant;
  }
  if (ft->is_variable()) t->flags |= kTensorVariable;

  // Quantization.
  const tflite::QuantizationParameters* q = ft->quantization();
  if (q != nullptr && q->scale() != nullptr && q->scale()->size() > 0) {
    const uint32_t n = q->scale()->size();
    if (q->zero_point() == nullptr || q->zero_point()->size() != n) {
      return Status::Error(StatusCode::kInvalidModel,
                           "tensor %d ('%s'): %u scales but %u zero points", index, name, n,
                           q->zero_point() != nullptr ? q->zero_point()->size() : 0u);
    }
    // Zero points are int64: read through LoadInt64 (see there), never Get().
    const uint8_t* zero_points = q->zero_point()->Data();
    int32_t qdim = q->quantized_dimension();
    // Old converters (TOCO, e.g. person_detect) write the weights'
    // quantized_dimension (3) on rank-1 per-channel biases; TFLM accepts
    // it. For rank 1 the only possible channel axis is 0.
    if (n > 1 && rank == 1 && qdim > 0 && static_cast<int64_t>(n) == shape->Get(0)) qdim = 0;
    if (n > 1) {
      if (qdim < 0 || static_cast<uint32_t>(qdim) >= rank) {
        return Status::Error(StatusCode::kInvalidModel,
                             "tensor %d ('%s'): quantized_dimension %d out of range for rank %u",
                             index, name, qdim, rank);
      }
      if (static_cast<int64_t>(n) != shape->Get(qdim)) {
        return Status::Error(StatusCode::kInvalidModel,
                             "tensor %d ('%s'): %u per-channel scales but dimension %d has %d entries",
                             index, name, n, qdim, shape->Get(qdim));
      }
    }
    bool symmetric = true;
    for (uint32_t i = 0; i < n; ++i) {
      const float s = q->scale()->Get(i);
      if (!(s > 0.0f) || !std::isfinite(s)) {
        return Status::Error(StatusCode::kInvalidModel,
                             "tensor %d ('%s'): scale %u is %g (must be finite and > 0)", index,
                             name, i, static_cast<double>(s));
      }
      const int64_t zp = LoadInt64(zero_points + 8 * i);
      if (zp != 0) symmetric = false;
      if (!ZeroPointInRange(t->type, zp)) {
        return Status::Error(StatusCode::kInvalidModel,
                             "tensor %d ('%s'): zero point %lld out of range for %s", index, name,
                             static_cast<long long>(zp), DTypeName(t->type));
      }
    }
    t->num_scales = static_cast<int32_t>(n);
    t->scales = q->scale()->data();
    t->scale = q->scale()->Get(0);
    t->zero_point = static_cast<int32_t>(LoadInt64(zero_points));
    t->quantized_dimension = static_cast<uint8_t>(n > 1 ? qdim : 0);
    if (symmetric) t->flags |= kTensorSymmetric;
  }
  return Status::Ok();
}

Status CheckConstantsDisjoint(const Tensor* tensors, size_t num_tensors) {
  for (size_t i = 0; i < num_tensors; ++i) {
    const Tensor& a = tensors[i];
    if (!a.is_constant() || a.bytes == 0) continue;
    for (size_t j = i + 1; j < num_tensors; ++j) {
      const Tensor& b = tensors[j];
      if (!b.is_constant() || b.bytes == 0) continue;
      if (a.data == b.data && a.bytes == b.bytes) continue;  // the same buffer
      if (a.data < b.data + b.bytes && b.data < a.data + a.bytes) {
        return Status::Error(StatusCode::kInvalidModel,
                             "tensor %u ('%s'): constant data overlaps that of tensor %u ('%s') "
                             "(two buffers share bytes)",
                             static_cast<unsigned>(i), a.name, static_cast<unsigned>(j), b.name);
      }
    }
  }
  return Status::Ok();
}

int32_t BuiltinCode(const tflite::OperatorCode& code) {
  const int32_t deprecated = code.deprecated_builtin_code();
  const int32_t builtin = static_cast<int32_t>(code.builtin_code());
  return builtin > deprecated ? builtin : deprecated;
}

const char* OpName(const tflite::OperatorCode& code) {
  const int32_t builtin = BuiltinCode(code);
  if (builtin == tflite::BuiltinOperator_CUSTOM) {
    return code.custom_code() != nullptr ? code.custom_code()->c_str() : "CUSTOM";
  }
  if (builtin < tflite::BuiltinOperator_MIN || builtin > tflite::BuiltinOperator_MAX) return "UNKNOWN";
  const char* name = tflite::EnumNameBuiltinOperator(static_cast<tflite::BuiltinOperator>(builtin));
  return (name != nullptr && name[0] != '\0') ? name : "UNKNOWN";
}

}  // namespace format
}  // namespace mote
