/**
 * What a browser is served: pages and the routes only pages use (the cluster map and its
 * thumbnails). The API itself is the functions'; pages call it like any other client.
 */
package dev.viewfold.web;
