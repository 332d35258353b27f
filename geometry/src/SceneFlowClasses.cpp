#include "advect/geometry/SceneFlowClasses.h"

namespace advect::geometry {

namespace {

// av2-api's CATEGORY_MAP ids (av2/datasets/sensor/constants.py AnnotationCategories, counted from
// 1) grouped as BucketedSceneFlowEval's BUCKETED_METACATAGORIES groups their names.
std::optional<MetaClass> argoverse2_meta_class(int id) {
  switch (id) {
    case 0:  // no cuboid
      return MetaClass::background;
    case 19:  // REGULAR_VEHICLE
      return MetaClass::car;
    case 2:   // ARTICULATED_BUS
    case 6:   // BOX_TRUCK
    case 7:   // BUS
    case 11:  // LARGE_VEHICLE
    case 18:  // RAILED_VEHICLE
    case 20:  // SCHOOL_BUS
    case 25:  // TRUCK
    case 26:  // TRUCK_CAB
    case 27:  // VEHICULAR_TRAILER
      return MetaClass::other_vehicles;
    case 16:  // OFFICIAL_SIGNALER
    case 17:  // PEDESTRIAN
    case 23:  // STROLLER
    case 28:  // WHEELCHAIR
      return MetaClass::pedestrian;
    case 3:   // BICYCLE
    case 4:   // BICYCLIST
    case 14:  // MOTORCYCLE
    case 15:  // MOTORCYCLIST
    case 29:  // WHEELED_DEVICE
    case 30:  // WHEELED_RIDER
      return MetaClass::wheeled_vru;
    default:  // ANIMAL, BOLLARD, cones, barrels, signs, DOG, sign trailers, unknown ids
      return std::nullopt;
  }
}

// PandaSet's semseg classes mapped the same way: what Argoverse 2 would call a regular vehicle
// (Car, Pickup Truck) is CAR; trucks, buses, trailers, rail and special vehicles are
// OTHER_VEHICLES; two-wheelers, scooters and pedicabs are WHEELED_VRU; unboxed classes (ground,
// vegetation, buildings, containers, static objects, sensor artefacts) are BACKGROUND.
std::optional<MetaClass> pandaset_meta_class(int id) {
  if ((id >= 1 && id <= 12) || (id >= 40 && id <= 42)) return MetaClass::background;
  switch (id) {
    case 13:  // Car
    case 14:  // Pickup Truck
      return MetaClass::car;
    case 15:  // Medium-sized Truck
    case 16:  // Semi-truck
    case 17:  // Towed Object
    case 19:  // Other Vehicle - Construction Vehicle
    case 20:  // Other Vehicle - Uncommon
    case 22:  // Emergency Vehicle
    case 23:  // Bus
    case 27:  // Train
    case 28:  // Trolley
    case 29:  // Tram / Subway
      return MetaClass::other_vehicles;
    case 18:  // Motorcycle
    case 21:  // Other Vehicle - Pedicab
    case 24:  // Personal Mobility Device
    case 25:  // Motorized Scooter
    case 26:  // Bicycle
      return MetaClass::wheeled_vru;
    case 30:  // Pedestrian
    case 31:  // Pedestrian with Object
      return MetaClass::pedestrian;
    default:  // animals, pylons, barriers, signs, cones, unknown ids
      return std::nullopt;
  }
}

}  // namespace

std::string_view taxonomy_name(ClassTaxonomy taxonomy) {
  return taxonomy == ClassTaxonomy::argoverse2 ? "argoverse2" : "pandaset";
}

std::optional<ClassTaxonomy> taxonomy_from_name(std::string_view name) {
  if (name == "argoverse2") return ClassTaxonomy::argoverse2;
  if (name == "pandaset") return ClassTaxonomy::pandaset;
  return std::nullopt;
}

std::optional<MetaClass> meta_class(ClassTaxonomy taxonomy, int id) {
  return taxonomy == ClassTaxonomy::argoverse2 ? argoverse2_meta_class(id)
                                               : pandaset_meta_class(id);
}

bool is_foreground(ClassTaxonomy taxonomy, int id) {
  return taxonomy == ClassTaxonomy::argoverse2 ? id != 0 : (id >= 13 && id <= 39);
}

}  // namespace advect::geometry
