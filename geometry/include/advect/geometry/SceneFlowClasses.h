// The semantic classes scene-flow datasets label their points with, and the five meta classes the
// Argoverse 2 2024 ranking groups them into (BucketedSceneFlowEval, av2_metacategories.py).
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace advect::geometry {

// Which numbering a pair's per-point class ids follow.
enum class ClassTaxonomy {
  // av2-api's scene-flow CATEGORY_MAP: 0 = no cuboid (background), then 1 + the index of the
  // category in AnnotationCategories (1 ANIMAL, 2 ARTICULATED_BUS, ..., 19 REGULAR_VEHICLE, ...).
  argoverse2,
  // PandaSet's semantic-segmentation ids (1 Smoke ... 13 Car ... 30 Pedestrian ... 42 Other
  // Static Object).
  pandaset,
};

// "argoverse2" or "pandaset", and back (nullopt for another name).
std::string_view taxonomy_name(ClassTaxonomy taxonomy);
std::optional<ClassTaxonomy> taxonomy_from_name(std::string_view name);

enum class MetaClass { background, car, other_vehicles, pedestrian, wheeled_vru };
inline constexpr int kMetaClasses = 5;
inline constexpr std::array<std::string_view, kMetaClasses> kMetaClassNames = {
    "BACKGROUND", "CAR", "OTHER_VEHICLES", "PEDESTRIAN", "WHEELED_VRU"};

// The meta class of a class id; nullopt for the classes the ranking leaves out (Argoverse 2:
// animals, bollards, cones, barrels, signs and sign trailers; PandaSet: the same kinds of object)
// and for unknown ids.
std::optional<MetaClass> meta_class(ClassTaxonomy taxonomy, int id);

// Whether a point of this class lies on an annotated object (the three-way EPE's "foreground"):
// Argoverse 2: any id but 0; PandaSet: vehicles, riders, pedestrians, animals and the movable
// street objects (ids 13 to 39).
bool is_foreground(ClassTaxonomy taxonomy, int id);

}  // namespace advect::geometry
