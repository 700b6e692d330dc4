package dev.viewfold.check;

/**
 * A search index that lives outside the table and can fall behind it (S3 Vectors); the check pass
 * brings it level. The in-process index reads the table itself and needs none ({@link #NONE}).
 */
public interface IndexRepair {

    IndexRepair NONE = new IndexRepair() {
        @Override
        public int pending() {
            return 0;
        }

        @Override
        public int full(String space) {
            return 0;
        }
    };

    /** Writes that failed and were marked, made again; returns how many. */
    int pending();

    /** The whole index of a space compared with the table; returns the items put or removed. */
    int full(String space);
}
