package dev.viewfold.cluster;

/**
 * One observation on the map.
 *
 * @param clusterId null for noise
 * @param thumbnail the image id of its most representative view, or null
 */
public record MapPoint(String id, float x, float y, String clusterId, double probability, double outlierScore,
                       String thumbnail) {
}
