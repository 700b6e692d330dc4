package dev.viewfold.encode;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ObservationNamingTest {

    static ObservationNaming.Assigned of(String key, Map<String, String> metadata) {
        return ObservationNaming.assign(EncodeRequest.of(key), metadata);
    }

    @Test
    void theDefaultKeyNamesObservationAndView() {
        assertEquals(new ObservationNaming.Assigned("obj7", "front"), of("images/obj7/front.jpg", Map.of()));
        assertEquals(new ObservationNaming.Assigned("garden/rose", "3"), of("images/garden/rose/3.png", Map.of()));
        assertEquals(new ObservationNaming.Assigned("accordion", "image_0001"), of("accordion/image_0001.jpg", Map.of()));
    }

    @Test
    void aLoneFileIsItsOwnObservation() {
        assertEquals(new ObservationNaming.Assigned("IMG_0042", "IMG_0042"), of("images/IMG_0042.JPG", Map.of()));
        assertEquals(new ObservationNaming.Assigned("scan", "scan"), of("scan.png", Map.of()));
    }

    @Test
    void metadataWinsOverTheKeyAndTheManifestWinsOverBoth() {
        var meta = Map.of("observation-id", "patient-12", "view", "left");
        assertEquals(new ObservationNaming.Assigned("patient-12", "left"), of("uploads/x.jpg", meta));
        assertEquals(new ObservationNaming.Assigned("m", "left"),
                ObservationNaming.assign(new EncodeRequest("uploads/x.jpg", "m", null), meta));
    }
}
