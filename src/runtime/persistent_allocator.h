// mote: the arena's persistent part, allocated from the top down. It keeps
// counting requests after it runs out, so that a too-small arena can still
// report exactly how many bytes it would have needed.
#ifndef MOTE_RUNTIME_PERSISTENT_ALLOCATOR_H_
#define MOTE_RUNTIME_PERSISTENT_ALLOCATOR_H_

#include <cstddef>
#include <cstdint>

namespace mote {

class PersistentAllocator {
 public:
  // [base, base + size) must be aligned to 16 at both ends.
  PersistentAllocator(uint8_t* base, size_t size) : base_(base), size_(size) {}

  // Null when the request does not fit; `requested()` grows regardless.
  void* Allocate(size_t bytes, size_t align) {
    if (align == 0 || (align & (align - 1)) != 0) align = 8;
    // Aligned sizes from an aligned top keep every block aligned.
    const size_t padded = (bytes + align - 1) & ~(align - 1);
    const size_t rounded = (requested_ + padded + align - 1) & ~(align - 1);
    requested_ = rounded;
    if (rounded > size_ || failed_) {
      failed_ = true;
      return nullptr;
    }
    return base_ + size_ - rounded;
  }
  size_t requested() const { return requested_; }
  bool failed() const { return failed_; }
  // Lowest address handed out so far (the planned region must end below).
  uint8_t* low() const { return base_ + size_ - requested_; }

 private:
  uint8_t* base_;
  size_t size_;
  size_t requested_ = 0;
  bool failed_ = false;
};

}  // namespace mote

#endif  // MOTE_RUNTIME_PERSISTENT_ALLOCATOR_H_
