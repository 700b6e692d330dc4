# Reference outputs of R dbscan::hdbscan for Viewfold's HDBSCAN tests (issue #6).
#
#   Rscript src/bench/peers/hdbscan_reference.R [out_dir] [extra.csv name minPts ...]
#
# Generates standard 2-d and 5-d shapes with a fixed seed, snaps every coordinate to a multiple of
# 1/1024 (exact in float and in the CSV, so Java clusters exactly the points R clustered), runs
# dbscan::hdbscan(x, minPts) and writes one CSV per shape: x1..xd, label (-1 noise, clusters 0..),
# prob (membership_prob), outlier (outlier_scores). Extra triples (a CSV of points with a header,
# a fixture name, minPts) add fixtures from given points, e.g. real embeddings; points of more than
# 10 columns are first reduced to their first 5 principal components (prcomp, centred), scaled so
# the first has standard deviation 5 (UMAP-like spread, so the 1/1024 grid does not create ties).
# fixtures.csv lists name, minPts, dim, n, clusters.
suppressPackageStartupMessages(library(dbscan))

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "src/test/resources/cluster/hdbscan"
dir.create(out, recursive = TRUE, showWarnings = FALSE)

snap <- function(x) round(as.matrix(x) * 1024) / 1024

blob <- function(n, centre, sd) {
  matrix(rnorm(n * length(centre), sd = sd), ncol = length(centre)) +
    matrix(centre, n, length(centre), byrow = TRUE)
}

shapes <- list()
set.seed(20261124)

# Three blobs of very different density.
shapes$blobs_varied <- list(minPts = 15, x = rbind(
  blob(300, c(0, 0), 0.3), blob(300, c(6, 0), 1.0), blob(300, c(3, 7), 1.8)))

# Two interleaved half moons with a little noise.
t1 <- runif(300, 0, pi); t2 <- runif(300, 0, pi)
moons <- rbind(cbind(cos(t1), sin(t1)), cbind(1 - cos(t2), 0.5 - sin(t2)))
shapes$two_moons <- list(minPts = 10, x = moons + matrix(rnorm(1200, sd = 0.08), ncol = 2))

# Concentric rings.
a1 <- runif(300, 0, 2 * pi); a2 <- runif(600, 0, 2 * pi)
r1 <- 1 + rnorm(300, sd = 0.08); r2 <- 3 + rnorm(600, sd = 0.1)
shapes$rings <- list(minPts = 10, x = rbind(cbind(r1 * cos(a1), r1 * sin(a1)),
                                            cbind(r2 * cos(a2), r2 * sin(a2))))

# Anisotropic blobs: round blobs under a shearing linear map.
iso <- rbind(blob(300, c(-4, -4), 1), blob(300, c(0, 0), 1), blob(300, c(4, 3), 1))
shapes$anisotropic <- list(minPts = 15, x = iso %*% matrix(c(0.6, -0.4, -0.64, 0.85), 2))

# Four blobs over a uniform noise background.
bg <- cbind(runif(400, -10, 10), runif(400, -10, 10))
shapes$noise_background <- list(minPts = 20, x = rbind(
  blob(200, c(-5, -5), 0.6), blob(200, c(5, -5), 0.9), blob(200, c(-5, 5), 1.2),
  blob(200, c(5, 5), 0.5), bg))

# 5-d Gaussian mixture: 20 clusters of 50-150 points, spreads 0.2-1.0, centres in a 20-wide box.
parts <- lapply(1:20, function(i) blob(sample(50:150, 1), runif(5, -10, 10), runif(1, 0.2, 1.0)))
shapes$mixture_5d <- list(minPts = 15, x = do.call(rbind, parts))

# Extra fixtures from given points.
if (length(args) >= 4) {
  for (i in seq(2, length(args) - 2, by = 3)) {
    x <- as.matrix(read.csv(args[i]))
    if (ncol(x) > 10) {
      x <- prcomp(x, rank. = 5)$x
      x <- x * (5 / sd(x[, 1]))
    }
    shapes[[args[i + 1]]] <- list(minPts = as.integer(args[i + 2]), x = x)
  }
}

index <- data.frame()
for (name in names(shapes)) {
  s <- shapes[[name]]
  x <- snap(s$x)
  h <- hdbscan(x, minPts = s$minPts)
  colnames(x) <- paste0("x", seq_len(ncol(x)))
  label <- ifelse(h$cluster == 0, -1L, h$cluster - 1L)
  df <- data.frame(x, label = label, prob = signif(h$membership_prob, 10),
                   outlier = signif(h$outlier_scores, 10))
  write.csv(df, file.path(out, paste0(name, ".csv")), row.names = FALSE)
  index <- rbind(index, data.frame(name = name, minPts = s$minPts, dim = ncol(x), n = nrow(x),
                                   clusters = max(h$cluster), noise = sum(h$cluster == 0)))
  cat(sprintf("%-18s n=%5d dim=%d minPts=%2d clusters=%3d noise=%4d\n", name, nrow(x), ncol(x),
              s$minPts, max(h$cluster), sum(h$cluster == 0)))
}
write.csv(index, file.path(out, "fixtures.csv"), row.names = FALSE)
cat(sprintf("dbscan %s, %s\n", packageVersion("dbscan"), R.version.string))
