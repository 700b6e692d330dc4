# Times R dbscan::hdbscan on a CSV of points (header, one row per point) for HdbscanBench.
#   Rscript src/bench/peers/hdbscan_time.R points.csv minPts labels_out.csv
# Prints "seconds <elapsed>" and writes one label per line (-1 noise, clusters 0..).
suppressPackageStartupMessages(library(dbscan))
args <- commandArgs(trailingOnly = TRUE)
x <- as.matrix(read.csv(args[1]))
minPts <- as.integer(args[2])
t <- system.time(h <- hdbscan(x, minPts = minPts))[["elapsed"]]
writeLines(as.character(ifelse(h$cluster == 0, -1L, h$cluster - 1L)), args[3])
cat(sprintf("seconds %.3f\n", t))
